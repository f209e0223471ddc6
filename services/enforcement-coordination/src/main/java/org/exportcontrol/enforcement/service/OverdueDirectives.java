package org.exportcontrol.enforcement.service;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The {@code enforcement_directives_overdue{jurisdiction}} gauge for the operators' dashboard and
 * the overdue-directives alert: directive targets not completed by their directive's due date, per
 * target jurisdiction, counted from the database every {@code enforcement.directives.overdue-every}.
 * Every replica counts the same rows: read it with max, not sum, across replicas.
 */
@ApplicationScoped
public class OverdueDirectives {

    private static final Logger LOG = Logger.getLogger(OverdueDirectives.class);

    @Inject
    Pool pool;
    @Inject
    MeterRegistry meters;

    /** One gauge per jurisdiction that ever had an overdue target; 0 once they are all completed. */
    private final Map<String, AtomicLong> byJurisdiction = new ConcurrentHashMap<>();

    @Scheduled(every = "${enforcement.directives.overdue-every}", delayed = "${enforcement.escalation.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return countNow().onFailure().invoke(t -> LOG.warnf("counting overdue directives failed: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Counts again and sets the gauges; returns the counts. Tests call it directly. */
    public Uni<Map<String, Long>> countNow() {
        return pool.preparedQuery("""
                select t.jurisdiction, count(*) from directive_target t join directive d on d.id = t.directive_id
                 where t.completed_at is null and d.due_at < now() group by t.jurisdiction""").execute()
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(r -> counts.put(r.getString(0), r.getLong(1)));
                    counts.keySet().forEach(j -> byJurisdiction.computeIfAbsent(j, this::gauge));
                    byJurisdiction.forEach((j, value) -> value.set(counts.getOrDefault(j, 0L)));
                    return counts;
                });
    }

    private AtomicLong gauge(String jurisdiction) {
        AtomicLong value = new AtomicLong();
        Gauge.builder("enforcement_directives_overdue", value, AtomicLong::get).tag("jurisdiction", jurisdiction)
                .description("directive targets not completed by the directive's due date").register(meters);
        return value;
    }
}
