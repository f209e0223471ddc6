package org.exportcontrol.simulator.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.StreamChainEventsRequest;
import org.exportcontrol.api.reporting.v1.StreamChainEventsResponse;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * Sends chain events over {@code ChainEventService.StreamChainEvents} as docs/api.md asks of a
 * provincial system: messages of up to {@code batch} events, sent only while the stream is ready
 * (HTTP/2 flow control: {@code isReady}/{@code onReady}); every event is kept until its
 * acknowledgement arrives; when the stream breaks, a new one is opened and everything not
 * acknowledged is sent again, in order (stored events come back as DUPLICATE).
 *
 * <p>Thread-safe: {@link #offer} from the producer, callbacks from gRPC's threads.
 */
public final class EventStreamer {

    /** What was acknowledged, by result. */
    public static final class Counts {
        public final AtomicLong accepted = new AtomicLong();
        public final AtomicLong duplicate = new AtomicLong();
        public final AtomicLong parked = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final AtomicLong reconnects = new AtomicLong();

        public long acked() {
            return accepted.get() + duplicate.get() + parked.get() + rejected.get();
        }
    }

    /** Told of every rejection and every licence answer other than ACCEPTED. */
    public interface Listener {
        void rejected(EventAck ack);

        void stream(String message);
    }

    private final Channel channel;
    private final CallCredentials credentials;
    private final int batch;
    private final Listener listener;
    private final Counts counts = new Counts();

    private final Deque<ChainEvent> unsent = new ArrayDeque<>();
    private final Deque<List<ChainEvent>> inFlight = new ArrayDeque<>();
    private ClientCallStreamObserver<StreamChainEventsRequest> requests;
    private boolean closing;
    private boolean closed;
    /** The channel is gone (the program is ending): nothing can be sent any more. */
    private boolean channelShutdown;
    private long backoffMillis = 250;

    public EventStreamer(Channel channel, CallCredentials credentials, int batch, Listener listener) {
        this.channel = channel;
        this.credentials = credentials;
        this.batch = batch;
        this.listener = listener;
    }

    public Counts counts() {
        return counts;
    }

    /** Events sent or waiting to be sent whose acknowledgement has not arrived. */
    public synchronized int unacknowledged() {
        return unsent.size() + inFlight.stream().mapToInt(List::size).sum();
    }

    public synchronized void offer(List<ChainEvent> events) {
        unsent.addAll(events);
        if (requests == null && !closing && !channelShutdown && counts.reconnects.get() == 0 && inFlight.isEmpty()) {
            open();
        }
        drain();
    }

    /** Waits until every event is acknowledged (or the time is up), then ends the stream. */
    public boolean finish(long timeoutMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMillis;
        synchronized (this) {
            while (unacknowledged() > 0 && System.currentTimeMillis() < until && !channelShutdown) {
                // a broken stream is reopened by its own timer, after the back-off
                wait(Math.max(1, Math.min(200, until - System.currentTimeMillis())));
            }
            closing = true;
            if (requests != null) {
                requests.onCompleted();
            }
            while (requests != null && !closed && System.currentTimeMillis() < until + 2000) {
                wait(100);
            }
            return unacknowledged() == 0;
        }
    }

    private void open() {
        closed = false;
        ChainEventServiceGrpc.ChainEventServiceStub stub = ChainEventServiceGrpc.newStub(channel)
                .withCallCredentials(credentials);
        stub.streamChainEvents(new ClientResponseObserver<StreamChainEventsRequest, StreamChainEventsResponse>() {
            ClientCallStreamObserver<StreamChainEventsRequest> mine;

            @Override
            public void beforeStart(ClientCallStreamObserver<StreamChainEventsRequest> requestStream) {
                mine = requestStream;
                synchronized (EventStreamer.this) {
                    requests = requestStream;
                }
                requestStream.setOnReadyHandler(() -> {
                    synchronized (EventStreamer.this) {
                        if (requests == mine) {
                            drain();
                        }
                    }
                });
            }

            @Override
            public void onNext(StreamChainEventsResponse response) {
                synchronized (EventStreamer.this) {
                    List<ChainEvent> message = inFlight.poll();
                    backoffMillis = 250;
                    for (EventAck ack : response.getAcksList()) {
                        switch (ack.getResult()) {
                            case EVENT_RESULT_ACCEPTED -> counts.accepted.incrementAndGet();
                            case EVENT_RESULT_DUPLICATE -> counts.duplicate.incrementAndGet();
                            case EVENT_RESULT_PARKED -> counts.parked.incrementAndGet();
                            default -> {
                                counts.rejected.incrementAndGet();
                                listener.rejected(ack);
                            }
                        }
                    }
                    if (message != null && message.size() != response.getAcksCount()) {
                        listener.stream("a response carried " + response.getAcksCount() + " acknowledgements for "
                                + message.size() + " events");
                    }
                    EventStreamer.this.notifyAll();
                }
            }

            @Override
            public void onError(Throwable t) {
                synchronized (EventStreamer.this) {
                    if (requests != mine) {
                        return;
                    }
                    requests = null;
                    closed = true;
                    // keep every unacknowledged event: back to the front, in order
                    List<ChainEvent> again = new ArrayList<>();
                    inFlight.forEach(again::addAll);
                    inFlight.clear();
                    for (int i = again.size() - 1; i >= 0; i--) {
                        unsent.addFirst(again.get(i));
                    }
                    counts.reconnects.incrementAndGet();
                    Status s = Status.fromThrowable(t);
                    listener.stream("stream broke (" + s.getCode() + (s.getDescription() == null ? "" : ": "
                            + s.getDescription()) + "); " + unsent.size() + " unacknowledged events will be sent again"
                            + " in " + backoffMillis + " ms");
                    if (s.getCode() == Status.Code.UNAVAILABLE && String.valueOf(s.getDescription()).contains("Channel shutdown")) {
                        channelShutdown = true;
                        EventStreamer.this.notifyAll();
                        return;
                    }
                    long delay = backoffMillis;
                    backoffMillis = Math.min(10_000, backoffMillis * 2);
                    EventStreamer.this.notifyAll();
                    if (!closing) {
                        Thread reopen = new Thread(() -> {
                            try {
                                TimeUnit.MILLISECONDS.sleep(delay);
                            } catch (InterruptedException e) {
                                return;
                            }
                            synchronized (EventStreamer.this) {
                                if (requests == null && !closing) {
                                    open();
                                }
                            }
                        }, "stream-reopen");
                        reopen.setDaemon(true);
                        reopen.start();
                    }
                }
            }

            @Override
            public void onCompleted() {
                synchronized (EventStreamer.this) {
                    if (requests == mine) {
                        closed = true;
                        if (!inFlight.isEmpty() || (!unsent.isEmpty() && !closing)) {
                            onError(Status.UNAVAILABLE.withDescription("the service ended the stream").asException());
                            return;
                        }
                    }
                    EventStreamer.this.notifyAll();
                }
            }
        });
    }

    /** Sends while the stream is ready; the rest waits for onReady. Called with the lock held. */
    private void drain() {
        while (requests != null && !closing && !unsent.isEmpty() && requests.isReady()) {
            List<ChainEvent> message = new ArrayList<>(Math.min(batch, unsent.size()));
            while (message.size() < batch && !unsent.isEmpty()) {
                message.add(unsent.poll());
            }
            inFlight.add(message);
            requests.onNext(StreamChainEventsRequest.newBuilder().addAllEvents(message).build());
        }
    }
}
