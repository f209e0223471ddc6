package org.exportcontrol.reporting.grpc;

import java.time.Duration;
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

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Chain events in, lots and traces out. The stream groups events into batches (up to
 * {@code reporting.ingest.batch-size}, or whatever arrived within {@code batch-window}) and stores
 * one batch at a time: the next batch is read only after the previous one committed, so a slow
 * database slows the stream down instead of filling memory.
 */
@GrpcService
@Authenticated
public class ChainEventGrpcService implements ChainEventService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ChainEventGrpcService.class);

    @Inject
    AccessControl access;
    @Inject
    IngestService ingest;
    @Inject
    TraceService traces;

    @ConfigProperty(name = "reporting.ingest.batch-size", defaultValue = "500")
    int batchSize;
    @ConfigProperty(name = "reporting.ingest.batch-window", defaultValue = "5ms")
    Duration batchWindow;

    @Override
    public Multi<StreamChainEventsResponse> streamChainEvents(Multi<StreamChainEventsRequest> requests) {
        Caller caller = access.require(ReportingAction.EVENT_REPORT);
        return requests.group().intoLists().of(batchSize, batchWindow)
                .onItem().transformToUniAndConcatenate(batch -> store(caller,
                        batch.stream().map(StreamChainEventsRequest::getEvent).toList()))
                .onItem().transformToIterable(acks -> acks)
                .map(ack -> StreamChainEventsResponse.newBuilder().setAck(ack).build());
    }

    @Override
    public Uni<SubmitChainEventResponse> submitChainEvent(SubmitChainEventRequest request) {
        Caller caller = access.require(ReportingAction.EVENT_REPORT);
        return store(caller, List.of(request.getEvent()))
                .map(acks -> SubmitChainEventResponse.newBuilder().setAck(acks.get(0)).build());
    }

    @Override
    public Uni<GetLotResponse> getLot(GetLotRequest request) {
        Caller caller = TraceService.reader(access);
        return traces.lot(caller, request.getLotId()).map(lot -> GetLotResponse.newBuilder().setLot(lot).build());
    }

    @Override
    public Uni<TraceLotResponse> traceLot(TraceLotRequest request) {
        Caller caller = TraceService.reader(access);
        return traces.trace(caller, request.getLotId());
    }

    /** A batch either commits and is acknowledged, or fails as a whole: the client resends from its first unacknowledged event. */
    private Uni<List<EventAck>> store(Caller caller, List<ChainEvent> events) {
        return ingest.ingest(caller, events).onFailure(t -> !(t instanceof StatusRuntimeException))
                .invoke(t -> LOG.warnf(t, "a batch of %d events from %s could not be stored", events.size(), caller.subject()))
                .onFailure(t -> !(t instanceof StatusRuntimeException))
                .transform(t -> ApiErrors.unavailable("events could not be stored (" + t.getClass().getSimpleName()
                        + "); resend from the first unacknowledged event"));
    }
}
