package org.exportcontrol.reporting.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.reporting.domain.SignalDraft;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Shipments still in transit past their expected arrival are signalled to enforcement as a
 * measurement (hours overdue): when first found, then again every {@code repeat} while it lasts.
 * Replicas share the work through row locks (SKIP LOCKED).
 */
@ApplicationScoped
public class OverdueShipments {

    private static final Logger LOG = Logger.getLogger(OverdueShipments.class);

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;
    @ConfigProperty(name = "reporting.overdue-shipments.repeat", defaultValue = "1h")
    Duration repeat;

    @Scheduled(every = "${reporting.overdue-shipments.every:5m}", delayed = "${reporting.overdue-shipments.delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scan() {
        return signalOverdue().onFailure().invoke(t -> LOG.warnf("overdue shipment scan failed: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass; returns how many shipments were signalled. */
    public Uni<Integer> signalOverdue() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                select s.shipment_id, s.lot_id, s.from_facility, s.to_facility, s.expected_arrival, s.shipped_record,
                       f.province_code
                  from shipment s join facility f on f.id = s.from_facility
                 where s.status = 'IN_TRANSIT' and s.expected_arrival < now()
                   and (s.overdue_signalled_at is null or s.overdue_signalled_at < now() - $1 * interval '1 second')
                 order by s.expected_arrival limit 500 for update of s skip locked""")
                .execute(Tuple.of(repeat.toSeconds()))
                .flatMap(rows -> {
                    List<Function<String, RaiseSignalRequest>> signals = new ArrayList<>();
                    List<Tuple> marked = new ArrayList<>();
                    Instant now = Instant.now();
                    for (Row r : rows) {
                        OffsetDateTime expected = r.getOffsetDateTime("expected_arrival");
                        long hours = Duration.between(expected.toInstant(), now).toHours();
                        SignalDraft d = new SignalDraft(SignalKind.SIGNAL_KIND_SHIPMENT_OVERDUE, SubjectType.SUBJECT_TYPE_SHIPMENT,
                                r.getString("shipment_id"), r.getString("province_code"),
                                Map.of("hours_overdue", new String[] {Long.toString(hours), "h"}),
                                Map.of("lot_id", r.getString("lot_id"), "from_facility", r.getString("from_facility"),
                                        "to_facility", r.getString("to_facility"), "expected_arrival", expected.toInstant().toString()),
                                null, now, List.of("EV-" + r.getLong("shipped_record")));
                        signals.add(id -> IngestService.signal(id, d));
                        marked.add(Tuple.of(r.getString("shipment_id")));
                    }
                    if (marked.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return outbox.enqueue(conn, "enforcement", SignalServiceGrpc.getRaiseSignalMethod(), signals)
                            .chain(() -> conn.preparedQuery("update shipment set overdue_signalled_at = now()"
                                    + " where shipment_id = $1").executeBatch(marked))
                            .replaceWith(marked.size());
                }));
    }
}
