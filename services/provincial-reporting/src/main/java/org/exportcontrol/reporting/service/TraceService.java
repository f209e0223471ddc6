package org.exportcontrol.reporting.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.Lot;
import org.exportcontrol.api.reporting.v1.LotStatus;
import org.exportcontrol.api.reporting.v1.TraceLotResponse;
import org.exportcontrol.api.reporting.v1.TraceStep;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.reporting.ReportingAction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Lots and their traces: the lot, every lot it came from (back to the mines) and every lot made
 * from it (on to export), across splits and merges, with all their events in time order.
 * Every province any of those lots passed through may read the trace; the national level too.
 */
@ApplicationScoped
public class TraceService {

    private static final String GRAPH = """
            with recursive up(lot_id) as (
                select $1::text
                union select l.parent_lot from lot_link l join up on l.child_lot = up.lot_id),
            down(lot_id) as (
                select $1::text
                union select l.child_lot from lot_link l join down on l.parent_lot = down.lot_id)
            select lot_id from up union select lot_id from down""";

    @Inject
    Pool pool;

    public Uni<Lot> lot(Caller caller, String lotId) {
        return pool.preparedQuery("select * from lot where lot_id = $1").execute(Tuple.of(lotId)).flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().failure(ApiErrors.notFound("lot", lotId));
            }
            return mayRead(caller, List.of(lotId)).map(ignored -> lot(rows.iterator().next()));
        });
    }

    public Uni<TraceLotResponse> trace(Caller caller, String lotId) {
        return pool.preparedQuery(GRAPH).execute(Tuple.of(lotId)).flatMap(graph -> {
            List<String> ids = new ArrayList<>();
            graph.forEach(r -> ids.add(r.getString(0)));
            String[] idArray = ids.toArray(new String[0]);
            return pool.preparedQuery("select * from lot where lot_id = any($1::text[]) order by lot_id")
                    .execute(Tuple.of((Object) idArray)).flatMap(lots -> {
                        if (lots.size() == 0) {
                            return Uni.createFrom().failure(ApiErrors.notFound("lot", lotId));
                        }
                        return mayRead(caller, ids).chain(() -> pool.preparedQuery("""
                                select e.record_id, e.event_id, e.occurred_at, e.facility_id, e.province_code, e.payload
                                  from chain_event e
                                 where e.record_id in (select record_id from lot_event where lot_id = any($1::text[])
                                                       union all
                                                       select created_record from lot where lot_id = any($1::text[]))
                                 order by e.occurred_at, e.record_id""").execute(Tuple.of((Object) idArray)))
                                .map(events -> {
                                    TraceLotResponse.Builder b = TraceLotResponse.newBuilder();
                                    lots.forEach(r -> b.addLots(lot(r)));
                                    events.forEach(r -> b.addSteps(step(r)));
                                    return b.build();
                                });
                    });
        });
    }

    /** National callers read all; a province reads lots created in it or that passed through it. */
    private Uni<Void> mayRead(Caller caller, List<String> lotIds) {
        if (caller.jurisdiction().isNational()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("select province_code from lot_province where lot_id = any($1::text[])"
                + " union select created_province from lot where lot_id = any($1::text[]) and created_province is not null")
                .execute(Tuple.of((Object) lotIds.toArray(new String[0]))).map(rows -> {
                    Set<String> provinces = new HashSet<>();
                    rows.forEach(r -> provinces.add(r.getString(0)));
                    if (!provinces.contains(caller.jurisdiction().code())) {
                        throw ApiErrors.permissionDenied("OUTSIDE_JURISDICTION", "lot " + lotIds.get(0)
                                + " never passed through " + caller.jurisdiction().code());
                    }
                    return null;
                });
    }

    static Lot lot(Row r) {
        String unit = r.getString("unit");
        return Lot.newBuilder().setLotId(r.getString("lot_id")).setMaterial(r.getString("material"))
                .setItemCode(r.getString("item_code")).setStatus(LotStatus.valueOf("LOT_STATUS_" + r.getString("status")))
                .setFacilityId(r.getString("facility_id")).setProvinceCode(r.getString("province_code"))
                .setRemaining(q(r.getBigDecimal("remaining"), unit)).setCreated(q(r.getBigDecimal("created_qty"), unit))
                .build();
    }

    private static TraceStep step(Row r) {
        try {
            return TraceStep.newBuilder().setRecordId("EV-" + r.getLong("record_id")).setEventId(r.getString("event_id"))
                    .setOccurredAt(Timestamps.of(r.getOffsetDateTime("occurred_at").toInstant()))
                    .setFacilityId(r.getString("facility_id")).setProvinceCode(r.getString("province_code"))
                    .setEvent(ChainEvent.parseFrom(r.getBuffer("payload").getBytes())).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored event is unreadable", e);
        }
    }

    private static Quantity q(BigDecimal value, String unit) {
        return Quantity.newBuilder().setValue(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString())
                .setUnit(QuantityUnit.valueOf(unit)).build();
    }

    /** Role check for the read RPCs (jurisdiction is checked against the lot's provinces). */
    public static Caller reader(AccessControl access) {
        return access.require(ReportingAction.LOT_READ);
    }
}
