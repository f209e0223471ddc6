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
     * The state of one ingest stream: messages waiting, a batch being stored, and whether the
     * client is done. At most {@code window-messages} request messages are read ahead.
     */
    private final class GroupCommit implements StreamObserver<StreamChainEventsRequest> {
        private final Caller caller;
        private final ServerCallStreamObserver<StreamChainEventsResponse> out;
        private final io.vertx.core.Context context;
        private final java.util.ArrayDeque<List<ChainEvent>> waiting = new java.util.ArrayDeque<>();
        private boolean storing;
        /**
         * The last batch held no duplicate and no existing lot, so the next is expected fresh and
         * skips those look-ups. False at first: a stream that starts after a broken one usually
         * begins with a resend.
         */
        private boolean expectFresh;
        private boolean clientDone;
        private boolean finished;

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
            if (context == null) {
                out.request(n);
            } else {
                context.runOnContext(ignored -> {
                    if (!finished) {
                        out.request(n);
                    }
                });
            }
        }

        @Override
        public synchronized void onNext(StreamChainEventsRequest request) {
            waiting.add(request.getEventsList());
            flushIfIdle();
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
            flushIfIdle();
        }

        private void flushIfIdle() {
            if (storing || finished) {
                return;
            }
            if (waiting.isEmpty()) {
                if (clientDone) {
                    finished = true;
                    out.onCompleted();
                }
                return;
            }
            // group commit: whatever arrived while the last batch was stored, up to the batch size
            List<List<ChainEvent>> messages = new ArrayList<>();
            List<ChainEvent> batch = new ArrayList<>();
            while (!waiting.isEmpty() && (messages.isEmpty() || batch.size() + waiting.peek().size() <= batchSize)) {
                List<ChainEvent> message = waiting.poll();
                messages.add(message);
                if (message.size() <= MAX_EVENTS_PER_MESSAGE) {
                    batch.addAll(message);
                }
            }
            storing = true;
            requestMore(messages.size());
            store(caller, batch, expectFresh).subscribe().with(acks -> stored(messages, acks), this::failed);
        }

        private synchronized void stored(List<List<ChainEvent>> messages, List<EventAck> acks) {
            storing = false;
            expectFresh = acks.stream().noneMatch(a -> a.getResult() == EventResult.EVENT_RESULT_DUPLICATE
                    || "LOT_EXISTS".equals(a.getReason()));
            if (finished) {
                return;
            }
            int at = 0;
            for (List<ChainEvent> message : messages) {
                StreamChainEventsResponse.Builder response = StreamChainEventsResponse.newBuilder();
                if (message.size() > MAX_EVENTS_PER_MESSAGE) {
                    message.forEach(e -> response.addAcks(EventAck.newBuilder().setEventId(e.getEventId())
                            .setResult(EventResult.EVENT_RESULT_REJECTED).setReason("MESSAGE_TOO_LARGE")
                            .setMessage("at most " + MAX_EVENTS_PER_MESSAGE + " events per message").build()));
                } else {
                    response.addAllAcks(acks.subList(at, at + message.size()));
                    at += message.size();
                }
                out.onNext(response.build());
            }
            flushIfIdle();
        }

        private synchronized void failed(Throwable t) {
            storing = false;
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
        return ingest.ingest(caller, events, expectFresh)
                .onFailure(t -> !(t instanceof StatusRuntimeException))
                .invoke(t -> LOG.warnf(t, "a batch of %d events from %s could not be stored", events.size(), caller.subject()))
                .onFailure(t -> !(t instanceof StatusRuntimeException))
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
