package org.exportcontrol.reporting.grpc;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.reporting.ReportingAction;
import org.exportcontrol.reporting.service.IngestService;
import org.exportcontrol.reporting.service.TraceService;
import org.jboss.logging.Logger;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Chain events in, lots and traces out. Written against the grpc-java stream API (not Mutiny)
 * because ingest needs real flow control: the service asks the transport for a bounded number of
 * events at a time, so a slow database slows the provincial system down through HTTP/2 flow
 * control instead of filling memory. Events are group-committed: whatever arrived while the
 * previous batch was being stored (up to {@code reporting.ingest.batch-size}) is stored as the next
 * batch, so a trickle is acknowledged event by event and a flood is stored in large batches.
 */
@GrpcService
@Authenticated
public class ChainEventGrpcService extends ChainEventServiceGrpc.ChainEventServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ChainEventGrpcService.class);

    @Inject
    AccessControl access;
    @Inject
    IngestService ingest;
    @Inject
    TraceService traces;

    /** Events per request message, at most. */
    static final int MAX_EVENTS_PER_MESSAGE = 500;

    @ConfigProperty(name = "reporting.ingest.batch-size", defaultValue = "2000")
    int batchSize;
    @ConfigProperty(name = "reporting.ingest.window-messages", defaultValue = "256")
    int windowMessages;
    /** Start a stream's next batch while the one before it commits (see {@link GroupCommit}). */
    @ConfigProperty(name = "reporting.ingest.pipeline", defaultValue = "true")
    boolean pipeline;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;
    /** Batches started while the batch before them was being stored, and those of them that overlapped it and ran again. */
    io.micrometer.core.instrument.Counter overlapped;
    io.micrometer.core.instrument.Counter overlapReruns;

    @jakarta.annotation.PostConstruct
    void registerMeters() {
        overlapped = meters.counter("reporting_ingest_batches_overlapped_total");
        overlapReruns = meters.counter("reporting_ingest_batches_overlap_reruns_total");
    }

    @Override
    public StreamObserver<StreamChainEventsRequest> streamChainEvents(StreamObserver<StreamChainEventsResponse> responses) {
        Caller caller;
        try {
            caller = access.require(ReportingAction.EVENT_REPORT);
        } catch (StatusRuntimeException e) {
            responses.onError(e);
            return new Ignore<>();
        }
        ServerCallStreamObserver<StreamChainEventsResponse> out = (ServerCallStreamObserver<StreamChainEventsResponse>) responses;
        out.disableAutoRequest();
        GroupCommit stream = new GroupCommit(caller, out, io.vertx.core.Vertx.currentContext());
        stream.requestMore(windowMessages);
        return stream;
    }

    /**
     * The state of one ingest stream: messages waiting, the batches being stored (at most two, in
     * stream order), and whether the client is done. At most {@code window-messages} request
     * messages are read ahead.
     *
     * <p>Once a batch is evaluated and writing, the next one starts on a second connection: its
     * look-ups and checks run while the database stores the first, which is where a single
     * stream's time went (the service and the database each idle while the other works). It is
     * checked against the first's footprint before it writes: if it read or named anything the
     * first changes or creates (a shipment of a lot the first extracted, say), it rolls back and
     * runs again once the first has committed, so the outcome is the same as one batch after the
     * other. A batch with an export declaration does not start early (its licensing call is not
     * repeated). Acknowledgements go out in stream order.
     */
    private final class GroupCommit implements StreamObserver<StreamChainEventsRequest> {
        private final Caller caller;
        private final ServerCallStreamObserver<StreamChainEventsResponse> out;
        private final io.vertx.core.Context context;
        private final java.util.ArrayDeque<List<ChainEvent>> waiting = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Batch> storing = new java.util.ArrayDeque<>();
        /**
         * The last batch held no duplicate and no existing lot, so the next is expected fresh and
         * skips those look-ups. False at first: a stream that starts after a broken one usually
         * begins with a resend.
         */
        private boolean expectFresh;
        private boolean clientDone;
        private boolean finished;

        /** A batch: its request messages and events, what it touched once evaluated, its acks once committed. */
        private final class Batch {
            final List<List<ChainEvent>> messages;
            final List<ChainEvent> events;
            final boolean declares;
            boolean running;
            IngestService.Footprint footprint;
            List<EventAck> acks;

            Batch(List<List<ChainEvent>> messages, List<ChainEvent> events) {
                this.messages = messages;
                this.events = events;
                this.declares = events.stream().anyMatch(ChainEvent::hasExportDeclared);
            }
        }

        GroupCommit(Caller caller, ServerCallStreamObserver<StreamChainEventsResponse> out, io.vertx.core.Context context) {
            this.caller = caller;
            this.out = out;
            this.context = context;
        }

        /**
         * Asks the transport for more messages, from a fresh task: asking from inside a delivery
         * would deliver the next buffered messages recursively, one stack frame deeper each.
         */
        void requestMore(int n) {
            later(() -> out.request(n));
        }

        private void later(Runnable task) {
            if (context == null) {
                task.run();
            } else {
                context.runOnContext(ignored -> {
                    synchronized (this) {
                        if (!finished) {
                            task.run();
                        }
                    }
                });
            }
        }

        @Override
        public synchronized void onNext(StreamChainEventsRequest request) {
            waiting.add(request.getEventsList());
            flush();
        }

        @Override
        public synchronized void onError(Throwable t) {
            // the client went away: nothing unacknowledged is stored later; it resends what it missed
            finished = true;
            waiting.clear();
        }

        @Override
        public synchronized void onCompleted() {
            clientDone = true;
            flush();
        }

        /** Starts what can start: the next batch, or a second one beside an evaluated first. */
        private void flush() {
            if (finished) {
                return;
            }
            Batch first = storing.peek();
            if (first == null) {
                if (!waiting.isEmpty()) {
                    start(take(), expectFresh, null);
                } else if (clientDone) {
                    finished = true;
                    out.onCompleted();
                }
            } else if (!first.running) {
                start(first, expectFresh, null); // overlapped the batch before it: runs again alone
            } else if (pipeline && storing.size() == 1 && first.footprint != null && first.acks == null && !waiting.isEmpty()) {
                Batch second = take();
                if (second.declares) {
                    storing.add(second); // starts when the first has committed
                } else {
                    start(second, first.footprint.fresh(), first);
                }
            }
        }

        /** Group commit: whatever arrived while the last batch was stored, up to the batch size. */
        private Batch take() {
            List<List<ChainEvent>> messages = new ArrayList<>();
            List<ChainEvent> events = new ArrayList<>();
            while (!waiting.isEmpty() && (messages.isEmpty() || events.size() + waiting.peek().size() <= batchSize)) {
                List<ChainEvent> message = waiting.poll();
                messages.add(message);
                if (message.size() <= MAX_EVENTS_PER_MESSAGE) {
                    events.addAll(message);
                }
            }
            requestMore(messages.size());
            return new Batch(messages, events);
        }

        /** @param earlier the batch being stored before this one, or null */
        private void start(Batch batch, boolean fresh, Batch earlier) {
            if (!storing.contains(batch)) {
                storing.add(batch);
            }
            batch.running = true;
            batch.footprint = null;
            if (earlier != null) {
                overlapped.increment();
            }
            store(caller, batch.events, fresh, footprint -> evaluated(batch, footprint, earlier))
                    .subscribe().with(acks -> stored(batch, acks), t -> failed(batch, t));
        }

        private synchronized boolean evaluated(Batch batch, IngestService.Footprint footprint, Batch earlier) {
            if (earlier != null && footprint.overlaps(earlier.footprint)) {
                return false;
            }
            batch.footprint = footprint;
            later(this::flush);
            return true;
        }

        private synchronized void stored(Batch batch, List<EventAck> acks) {
            batch.acks = acks;
            while (!storing.isEmpty() && storing.peek().acks != null) {
                Batch done = storing.poll();
                expectFresh = done.acks.stream().noneMatch(a -> a.getResult() == EventResult.EVENT_RESULT_DUPLICATE
                        || "LOT_EXISTS".equals(a.getReason()));
                if (!finished) {
                    acknowledge(done);
                }
            }
            flush();
        }

        private void acknowledge(Batch batch) {
            int at = 0;
            for (List<ChainEvent> message : batch.messages) {
                StreamChainEventsResponse.Builder response = StreamChainEventsResponse.newBuilder();
                if (message.size() > MAX_EVENTS_PER_MESSAGE) {
                    message.forEach(e -> response.addAcks(EventAck.newBuilder().setEventId(e.getEventId())
                            .setResult(EventResult.EVENT_RESULT_REJECTED).setReason("MESSAGE_TOO_LARGE")
                            .setMessage("at most " + MAX_EVENTS_PER_MESSAGE + " events per message").build()));
                } else {
                    response.addAllAcks(batch.acks.subList(at, at + message.size()));
                    at += message.size();
                }
                out.onNext(response.build());
            }
        }

        private synchronized void failed(Batch batch, Throwable t) {
            if (t instanceof IngestService.OverlapsEarlierBatch) {
                overlapReruns.increment();
                batch.running = false; // rolled back: runs again when it is first in line
                flush();
                return;
            }
            if (!finished) {
                finished = true;
                out.onError(t);
            }
        }
    }

    @Override
    public void submitChainEvent(SubmitChainEventRequest request, StreamObserver<SubmitChainEventResponse> response) {
        reply(() -> {
            Caller caller = access.require(ReportingAction.EVENT_REPORT);
            return store(caller, List.of(request.getEvent()), false)
                    .map(acks -> SubmitChainEventResponse.newBuilder().setAck(acks.get(0)).build());
        }, response);
    }

    @Override
    public void getLot(GetLotRequest request, StreamObserver<GetLotResponse> response) {
        reply(() -> traces.lot(TraceService.reader(access), request.getLotId())
                .map(lot -> GetLotResponse.newBuilder().setLot(lot).build()), response);
    }

    @Override
    public void traceLot(TraceLotRequest request, StreamObserver<TraceLotResponse> response) {
        reply(() -> traces.trace(TraceService.reader(access), request.getLotId()), response);
    }

    /** A batch either commits and is acknowledged, or fails as a whole: the client resends from its first unacknowledged event. */
    private Uni<List<EventAck>> store(Caller caller, List<ChainEvent> events, boolean expectFresh) {
        return store(caller, events, expectFresh, footprint -> true);
    }

    private Uni<List<EventAck>> store(Caller caller, List<ChainEvent> events, boolean expectFresh,
            java.util.function.Predicate<IngestService.Footprint> beforeWrites) {
        // a status is the client's answer as it is; an overlap is the stream's to handle (the batch runs again)
        java.util.function.Predicate<Throwable> unexpected = t -> !(t instanceof StatusRuntimeException)
                && !(t instanceof IngestService.OverlapsEarlierBatch);
        return ingest.ingest(caller, events, expectFresh, beforeWrites)
                .onFailure(unexpected)
                .invoke(t -> LOG.warnf(t, "a batch of %d events from %s could not be stored", events.size(), caller.subject()))
                .onFailure(unexpected)
                .transform(t -> ApiErrors.unavailable("events could not be stored (" + t.getClass().getSimpleName()
                        + "); resend from the first unacknowledged event"));
    }

    private static <T> void reply(java.util.function.Supplier<Uni<T>> call, StreamObserver<T> response) {
        Uni<T> uni;
        try {
            uni = call.get();
        } catch (RuntimeException e) {
            response.onError(e instanceof StatusRuntimeException ? e : ApiErrors.unavailable("the request failed"));
            return;
        }
        uni.subscribe().with(value -> {
            response.onNext(value);
            response.onCompleted();
        }, failure -> response.onError(failure instanceof StatusRuntimeException ? failure
                : io.grpc.Status.INTERNAL.withDescription("internal error").asRuntimeException()));
    }

    private static final class Ignore<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
