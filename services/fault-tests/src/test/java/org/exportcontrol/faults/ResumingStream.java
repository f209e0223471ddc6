package org.exportcontrol.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.StreamChainEventsRequest;
import org.exportcontrol.api.reporting.v1.StreamChainEventsResponse;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

/**
 * A provincial system's stream of chain events as docs/api.md tells it to behave: a few request
 * messages in flight, one response per message in order; when the stream breaks, a new stream
 * that resends every message not acknowledged yet (backing off while the service is away).
 */
final class ResumingStream {

    /** What came back: the acknowledgement of every event (by event id, in sending order), and the breaks. */
    record Outcome(Map<String, EventAck> acks, int breaks, int resentEvents, List<String> errors) {
        long count(org.exportcontrol.api.reporting.v1.EventResult result) {
            return acks.values().stream().filter(a -> a.getResult() == result).count();
        }
    }

    private static final Object COMPLETED = new Object();
    private final ManagedChannel channel;
    private final String client;

    ResumingStream(ManagedChannel channel, String client) {
        this.channel = channel;
        this.client = client;
    }

    /**
     * Sends the messages with at most {@code window} unacknowledged, pausing {@code pace} after each
     * (so that a fault lands in the middle), and calls {@code onAcked} with the running count of
     * acknowledged events. Gives up only after {@code giveUp} without progress.
     */
    Outcome send(List<List<ChainEvent>> messages, int window, Duration pace, Duration giveUp, IntConsumer onAcked)
            throws InterruptedException {
        Map<String, EventAck> acks = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        int next = 0; // the first message without a response
        int breaks = 0;
        int resent = 0;
        long backoffMillis = 250;
        long lastProgress = System.nanoTime();
        while (next < messages.size()) {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<StreamChainEventsRequest> requests = null;
            int sent = next;
            try {
                requests = GrpcAuth.bearer(ChainEventServiceGrpc.newStub(channel), RealmTokens.client(client))
                        .streamChainEvents(new StreamObserver<>() {
                            @Override
                            public void onNext(StreamChainEventsResponse value) {
                                answers.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                answers.add(t);
                            }

                            @Override
                            public void onCompleted() {
                                answers.add(COMPLETED);
                            }
                        });
                while (next < messages.size()) {
                    while (sent < messages.size() && sent - next < window) {
                        requests.onNext(StreamChainEventsRequest.newBuilder().addAllEvents(messages.get(sent)).build());
                        sent++;
                        if (!pace.isZero()) {
                            Thread.sleep(pace.toMillis());
                        }
                    }
                    Object answer = answers.poll(30, TimeUnit.SECONDS);
                    if (answer == null) {
                        throw new IllegalStateException("no response within 30 s");
                    }
                    if (answer instanceof Throwable t) {
                        throw t;
                    }
                    if (answer == COMPLETED) {
                        throw new IllegalStateException("the service ended the stream with messages unanswered");
                    }
                    List<EventAck> got = ((StreamChainEventsResponse) answer).getAcksList();
                    List<ChainEvent> events = messages.get(next);
                    if (got.size() != events.size()) {
                        throw new AssertionError("a response with " + got.size() + " acks for a message of " + events.size());
                    }
                    for (int i = 0; i < got.size(); i++) {
                        if (!got.get(i).getEventId().equals(events.get(i).getEventId())) {
                            throw new AssertionError("acks out of order: " + got.get(i).getEventId() + " for "
                                    + events.get(i).getEventId());
                        }
                        acks.put(got.get(i).getEventId(), got.get(i));
                    }
                    next++;
                    backoffMillis = 250;
                    lastProgress = System.nanoTime();
                    onAcked.accept(acks.size());
                }
                requests.onCompleted();
            } catch (Throwable broken) {
                if (broken instanceof AssertionError a) {
                    throw a;
                }
                if (requests != null) {
                    try {
                        requests.onError(io.grpc.Status.CANCELLED.withDescription("resuming on a new stream").asException());
                    } catch (RuntimeException alreadyClosed) {
                        // the call ended already
                    }
                }
                breaks++;
                for (int m = next; m < sent; m++) {
                    resent += messages.get(m).size();
                }
                errors.add(String.valueOf(broken.getMessage()));
                if (System.nanoTime() - lastProgress > giveUp.toNanos()) {
                    throw new AssertionError("no progress for " + giveUp.toSeconds() + " s; " + acks.size()
                            + " events acknowledged; last error: " + broken, broken);
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
                // the channel backs off its reconnects for up to minutes: try now
                channel.resetConnectBackoff();
            }
        }
        return new Outcome(acks, breaks, resent, errors);
    }

    /** Splits events into request messages of {@code size}. */
    static List<List<ChainEvent>> messages(List<ChainEvent> events, int size) {
        List<List<ChainEvent>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i += size) {
            out.add(List.copyOf(events.subList(i, Math.min(events.size(), i + size))));
        }
        return out;
    }
}
