package org.exportcontrol.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.exportcontrol.api.notification.v1.Notification;
import org.exportcontrol.api.notification.v1.SubscribeRequest;
import org.exportcontrol.api.notification.v1.SubscribeResponse;
import org.exportcontrol.api.notification.v1.SubscriptionServiceGrpc;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.StreamChainEventsRequest;
import org.exportcontrol.api.reporting.v1.StreamChainEventsResponse;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A province's reporting system as docs/api.md describes it: its own service account
 * ({@code province-<code>-system}, client credentials), the chain-event stream at
 * provincial-reporting (8082) and the notification subscription at notification (8084).
 */
final class ProvincialSystem implements AutoCloseable {

    final String code;
    private final ManagedChannel reporting = ManagedChannelBuilder.forAddress("127.0.0.1", 8082).usePlaintext().build();
    private final ManagedChannel notification = ManagedChannelBuilder.forAddress("127.0.0.1", 8084).usePlaintext().build();
    /** Everything the subscription delivered, in order. */
    final List<Notification> received = new CopyOnWriteArrayList<>();
    volatile Throwable subscriptionError;

    ProvincialSystem(String code) {
        this.code = code;
    }

    private String token() {
        return RealmTokens.client("province-" + code + "-system");
    }

    /** Streams one request message of events and returns its acknowledgements (one per event, in order). */
    List<EventAck> stream(List<ChainEvent> events) throws Exception {
        CompletableFuture<StreamChainEventsResponse> answer = new CompletableFuture<>();
        StreamObserver<StreamChainEventsRequest> requests = GrpcAuth.bearer(ChainEventServiceGrpc.newStub(reporting), token())
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .streamChainEvents(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamChainEventsResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("the stream ended without an answer"));
                    }
                });
        requests.onNext(StreamChainEventsRequest.newBuilder().addAllEvents(events).build());
        try {
            return answer.get(60, TimeUnit.SECONDS).getAcksList();
        } finally {
            requests.onCompleted();
        }
    }

    /** Subscribes from the oldest kept event (empty cursor), as a system does the first time. */
    void subscribe() {
        GrpcAuth.bearer(SubscriptionServiceGrpc.newStub(notification), token())
                .subscribe(SubscribeRequest.newBuilder().setCursor("").build(), new StreamObserver<>() {
                    @Override
                    public void onNext(SubscribeResponse value) {
                        received.add(value.getNotification());
                    }

                    @Override
                    public void onError(Throwable t) {
                        subscriptionError = t;
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : List.of(reporting, notification)) {
            c.shutdownNow().awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
