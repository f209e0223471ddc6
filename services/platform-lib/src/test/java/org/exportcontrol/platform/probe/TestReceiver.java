package org.exportcontrol.platform.probe;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyResponse;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;

import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A receiving service outside the application under test: a real gRPC server on a free port that
 * can be stopped and started again. Like every platform receiver it applies each message once,
 * dropping repeats by request id (the outbox message id). It records the bearer token each
 * delivery carried, and can be told to lose the answer of one delivery after applying it.
 */
public class TestReceiver implements QuarkusTestResourceLifecycleManager {

    static final io.grpc.Context.Key<String> AUTHORIZATION = io.grpc.Context.key("authorization");
    private static final Metadata.Key<String> AUTHORIZATION_HEADER = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    static volatile int port;
    private static Server server;
    /** Every delivery, in arrival order (repeats included). */
    static final List<NotifyRequest> deliveries = new CopyOnWriteArrayList<>();
    /** How often each message id was applied (must be 1). */
    static final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Titles whose first delivery is applied but answered with UNAVAILABLE (a lost answer). */
    static final Set<String> loseFirstAnswerFor = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startServer();
        return Map.of("platform.outbox.destinations." + ProbeSignalService.RECEIVER, "127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        stopServer();
    }

    static synchronized void startServer() {
        ServerInterceptor captureAuth = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                io.grpc.Context ctx = io.grpc.Context.current().withValue(AUTHORIZATION, headers.get(AUTHORIZATION_HEADER));
                return Contexts.interceptCall(ctx, call, headers, next);
            }
        };
        try {
            server = ServerBuilder.forPort(port)
                    .addService(ServerInterceptors.intercept(new NotifyServiceGrpc.NotifyServiceImplBase() {
                        @Override
                        public void notify(NotifyRequest request, StreamObserver<NotifyResponse> response) {
                            deliveries.add(request);
                            authorizations.add(String.valueOf(AUTHORIZATION.get()));
                            boolean first = applied.computeIfAbsent(request.getRequestId(), k -> new AtomicInteger())
                                    .compareAndSet(0, 1);
                            if (first && loseFirstAnswerFor.remove(request.getTitle())) {
                                response.onError(Status.UNAVAILABLE.withDescription("answer lost").asRuntimeException());
                                return;
                            }
                            response.onNext(NotifyResponse.newBuilder().setNotificationId(request.getRequestId())
                                    .setDuplicate(!first).build());
                            response.onCompleted();
                        }
                    }, captureAuth))
                    .build().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test receiver on port " + port, e);
        }
    }

    static synchronized void stopServer() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    static void clear() {
        deliveries.clear();
        applied.clear();
        authorizations.clear();
        loseFirstAnswerFor.clear();
    }
}
