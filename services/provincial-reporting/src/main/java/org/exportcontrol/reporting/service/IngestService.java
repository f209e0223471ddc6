package org.exportcontrol.reporting.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.Measurement;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.api.enforcement.v1.Subject;
import org.exportcontrol.api.licensing.v1.CheckAndDecrementRequest;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.EventResult;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.reporting.domain.ChainState;
import org.exportcontrol.reporting.domain.EventRules;
import org.exportcontrol.reporting.domain.FacilityInfo;
import org.exportcontrol.reporting.domain.LotState;
import org.exportcontrol.reporting.domain.Movement;
import org.exportcontrol.reporting.domain.ShipmentState;
import org.exportcontrol.reporting.domain.SignalDraft;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Ingests a batch of chain events in one transaction on the reactive SQL client (this is the
 * high-volume path, so it bypasses Hibernate): de-duplicate on (client, event id), check the
 * reporting facility is in the caller's jurisdiction, apply the custody rules in order, park what
 * waits for a missing lot, shipment or declaration (and apply parked events whose dependency this
 * batch brings), then write events, keys, lots, shipments and stock movements with batched
 * statements (and the movements' monthly sums, which mass balances and quota use read), one
 * audit entry for the batch (the batch's digest) and the signals through the outbox.
 * Acknowledgements are returned only after the commit.
 */
@ApplicationScoped
public class IngestService {

    @Inject
    Pool pool;
    @Inject
    AuditLog audit;
    @Inject
    Outbox outbox;
    @Inject
    LicensingClient licensing;
    @Inject
    MassBalanceService massBalance;
    @Inject
    QuotaLedgers quotas;
    @Inject
    MeterRegistry meters;

    /** Batches that met a stored key and ran again with every look-up (a resend, or a race). */
    io.micrometer.core.instrument.Counter retries;

    @jakarta.annotation.PostConstruct
    void registerMeters() {
        retries = meters.counter("reporting_ingest_batch_retries_total");
    }

    @ConfigProperty(name = "reporting.weighing-tolerance-percent", defaultValue = "0.5")
    BigDecimal tolerancePercent;
    @ConfigProperty(name = "reporting.clock-skew", defaultValue = "5m")
    Duration clockSkew;

    /**
     * @param expectFresh the caller expects that no event of the batch is stored already and no lot
     *     it creates exists (a stream whose last batch held no duplicate): the look-ups of the
     *     de-duplication keys and of the lots to be created are skipped, and the unique keys of
     *     those tables catch an event or lot that was not new after all. The batch then runs again
     *     with every look-up, so the answer is the same either way; only a resend costs twice.
     * @param beforeWrites told what the batch read and changed once it is evaluated, before it
     *     writes anything: false makes the batch fail with {@link OverlapsEarlierBatch} and roll
     *     back (a stream that stores the next batch while the one before commits uses it)
     */
    public Uni<List<EventAck>> ingest(Caller caller, List<ChainEvent> events, boolean expectFresh,
            java.util.function.Predicate<Footprint> beforeWrites) {
        long started = System.nanoTime();
        // a concurrent stream of the same client can race on an event key or a new lot too: the
        // batch runs again with every look-up and then sees those events as duplicates
        return Uni.createFrom().deferred(() -> attempt(caller, events, expectFresh, beforeWrites))
                .onFailure(IngestService::isUniqueConflict).recoverWithUni(conflict -> {
                    retries.increment();
                    return Uni.createFrom().deferred(() -> attempt(caller, events, false, beforeWrites))
                            .onFailure(IngestService::isUniqueConflict).retry().atMost(1);
                })
                .invoke(acks -> {
                    count(acks);
                    meters.timer("reporting_ingest_batch_seconds").record(System.nanoTime() - started,
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                    meters.summary("reporting_ingest_batch_events").record(events.size());
                });
    }

    /**
     * What an evaluated batch read and changed. {@code touched}: every lot, shipment and declaration
     * it named, loaded or created ("lot:x", "shipment:y", "declaration:z"), and what its parked
     * events wait for; {@code stockChanged}: facilities it added stock movements to ("stock:f");
     * {@code balancesRead}: facilities whose mass balance it reads before committing. {@code fresh}:
     * no event was a duplicate and no lot it creates existed.
     */
    public record Footprint(Set<String> touched, Set<String> stockChanged, Set<String> balancesRead, boolean fresh) {

        /**
         * Whether this batch, evaluated while {@code earlier} had not committed, may have read what
         * {@code earlier} changes, or missed what it creates, or created what its parked events wait for.
         */
        public boolean overlaps(Footprint earlier) {
            return !java.util.Collections.disjoint(touched, earlier.touched)
                    || !java.util.Collections.disjoint(balancesRead, earlier.stockChanged);
        }
    }

    /** A batch evaluated while an earlier one was being stored overlapped it: it stored nothing, and runs again after it. */
    public static final class OverlapsEarlierBatch extends RuntimeException {
        public OverlapsEarlierBatch() {
            super("the batch overlaps the batch before it, which was not yet committed", null, false, false);
        }
    }

    private static Footprint footprint(List<ChainEvent> events, EventAck[] acks, ChainState state, Evaluated evaluated) {
        Names names = new Names();
        events.forEach(e -> names.add(e, true));
        Set<String> touched = new HashSet<>(state.created);
        names.lots().forEach(id -> touched.add("lot:" + id));
        names.shipments().forEach(id -> touched.add("shipment:" + id));
        names.declarations().forEach(id -> touched.add("declaration:" + id));
        state.lots.keySet().forEach(id -> touched.add("lot:" + id));
        state.shipments.keySet().forEach(id -> touched.add("shipment:" + id));
        state.declarations.keySet().forEach(id -> touched.add("declaration:" + id));
        evaluated.batch().forEach(p -> {
            if (!p.applied && p.waitingFor != null) {
                touched.add(p.waitingFor);
            }
        });
        Set<String> stockChanged = new HashSet<>();
        state.movements.forEach(m -> stockChanged.add("stock:" + m.facilityId()));
        Set<String> balancesRead = new HashSet<>();
        state.lossChanged.forEach(f -> balancesRead.add("stock:" + f));
        boolean fresh = Arrays.stream(acks).noneMatch(a -> a != null
                && (a.getResult() == EventResult.EVENT_RESULT_DUPLICATE || "LOT_EXISTS".equals(a.getReason())));
        return new Footprint(touched, stockChanged, balancesRead, fresh);
    }

    private Uni<List<EventAck>> attempt(Caller caller, List<ChainEvent> events, boolean expectFresh,
            java.util.function.Predicate<Footprint> beforeWrites) {
        Instant now = Instant.now();
        EventAck[] acks = new EventAck[events.size()];
        for (int i = 0; i < events.size(); i++) {
            List<String> problems = EventRules.problems(events.get(i), now, clockSkew);
            if (!problems.isEmpty()) {
                acks[i] = rejected(events.get(i), "INVALID_EVENT", String.join("; ", problems));
            }
        }
        return pool.withTransaction(conn -> process(conn, caller, events, acks, now, expectFresh, beforeWrites))
                .map(ignored -> Arrays.asList(acks));
    }

    /**
     * The batch's look-ups are independent of each other, so they are sent together (pipelined on
     * the one connection) instead of one round trip each: the de-duplication keys, the facilities,
     * lots, shipments and declarations the events name, and record ids for every event that passed
     * validation. Duplicates are only known when the answers are in, so their lots are looked up
     * (and locked) too and their record ids go unused (a gap in the sequence); a resent batch is
     * the rare case, a fresh one the common. A batch expected fresh skips the key look-up.
     */
    private Uni<Void> process(SqlConnection conn, Caller caller, List<ChainEvent> events, EventAck[] acks, Instant now,
            boolean expectFresh, java.util.function.Predicate<Footprint> beforeWrites) {
        String client = caller.subject();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (acks[i] == null) {
                ids.add(events.get(i).getEventId());
            }
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Long> known = new HashMap<>();
        List<Long> recordIds = new ArrayList<>(ids.size());
        Uni<Void> keys = expectFresh ? Uni.createFrom().voidItem() : knownKeys(conn, client, ids).invoke(known::putAll).replaceWithVoid();
        Uni<Void> records = conn.preparedQuery("select nextval('chain_event_record') from generate_series(1, $1)")
                .execute(Tuple.of(ids.size()))
                .invoke(rows -> rows.forEach(r -> recordIds.add(r.getLong(0)))).replaceWithVoid();
        Loading loading = load(conn, events, acks, expectFresh);
        List<Uni<Void>> lookups = new ArrayList<>();
        lookups.add(keys);
        lookups.addAll(loading.lookups());
        lookups.add(records);
        return Uni.join().all(lookups).andFailFast()
                // a receipt names only its shipment: the shipped lot comes with it (it may have been
                // shipped in an earlier batch, so nothing else in this batch names it)
                .chain(() -> loadLots(conn, loading.shipments().values().stream().map(s -> s.lotId)
                        .filter(id -> !loading.lots().containsKey(id)).collect(java.util.stream.Collectors.toSet()),
                        loading.lots()))
                .chain(() -> {
                    Map<String, Integer> firstInBatch = new HashMap<>();
                    for (int i = 0; i < events.size(); i++) {
                        if (acks[i] != null) {
                            continue;
                        }
                        String id = events.get(i).getEventId();
                        if (known.containsKey(id)) {
                            acks[i] = ack(id, EventResult.EVENT_RESULT_DUPLICATE, known.get(id));
                        } else if (firstInBatch.putIfAbsent(id, i) != null) {
                            acks[i] = EventAck.newBuilder().setEventId(id).setResult(EventResult.EVENT_RESULT_DUPLICATE).build();
                        }
                    }
                    // the state copies what the look-ups found: made only once they are all in
                    ChainState state = new ChainState(loading.lots(), loading.shipments(), loading.facilities(),
                            loading.declarations(), tolerancePercent);
                    return evaluate(conn, caller, events, acks, state, recordIds)
                            .call(() -> expectFresh ? duplicatesAmongRejected(conn, client, events, acks) : Uni.createFrom().voidItem())
                            .chain(evaluated -> beforeWrites.test(footprint(events, acks, state, evaluated))
                                    ? persist(conn, caller, state, evaluated.batch(), evaluated.unparked(), acks, now)
                                    : Uni.createFrom().failure(new OverlapsEarlierBatch()));
                });
    }

    /** What a batch is checked against, filled by the look-ups (not yet sent). */
    private record Loading(Map<String, LotState> lots, Map<String, ShipmentState> shipments,
            Map<String, FacilityInfo> facilities, Map<String, ChainState.Declaration> declarations, List<Uni<Void>> lookups) {
    }

    /** The ids an event names, by kind: what a batch is checked against. */
    private record Names(Set<String> facilities, Set<String> lots, Set<String> shipments, Set<String> declarations) {
        Names() {
            this(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        }

        /** @param newLots also the lots the event creates (to find that they exist already) */
        void add(ChainEvent e, boolean newLots) {
            facilities.add(e.getFacilityId());
            switch (e.getPayloadCase()) {
                case EXTRACTED -> {
                    if (newLots) {
                        lots.add(e.getExtracted().getLotId());
                    }
                }
                case PROCESSED -> {
                    e.getProcessed().getInputsList().forEach(in -> lots.add(in.getLotId()));
                    if (newLots) {
                        e.getProcessed().getOutputsList().forEach(out -> lots.add(out.getLotId()));
                    }
                }
                case SHIPPED -> {
                    lots.add(e.getShipped().getLotId());
                    shipments.add(e.getShipped().getShipmentId());
                    facilities.add(e.getShipped().getToFacilityId());
                }
                case RECEIVED -> shipments.add(e.getReceived().getShipmentId());
                case CONSUMED -> e.getConsumed().getInputsList().forEach(in -> lots.add(in.getLotId()));
                case EXPORT_DECLARED -> {
                    lots.add(e.getExportDeclared().getLotId());
                    declarations.add(e.getExportDeclared().getDeclarationId());
                }
                case EXPORTED -> {
                    lots.add(e.getExported().getLotId());
                    declarations.add(e.getExported().getDeclarationId());
                }
                case INVENTORY_COUNT -> lots.add(e.getInventoryCount().getLotId());
                default -> {
                }
            }
        }
    }

    /**
     * Facilities, lots, shipments and declarations the batch names; the lots it creates only if the
     * batch is not expected fresh (a new lot that exists after all fails on the lot's key).
     */
    private Loading load(SqlConnection conn, List<ChainEvent> events, EventAck[] acks, boolean expectFresh) {
        Names names = new Names();
        for (int i = 0; i < events.size(); i++) {
            if (acks[i] == null) {
                names.add(events.get(i), !expectFresh);
            }
        }
        Set<String> facilityIds = names.facilities();
        Set<String> lotIds = names.lots();
        Set<String> shipmentIds = names.shipments();
        Set<String> declarationIds = names.declarations();
        Map<String, FacilityInfo> facilities = new HashMap<>();
        Map<String, LotState> lots = new HashMap<>();
        Map<String, ShipmentState> shipments = new HashMap<>();
        Map<String, ChainState.Declaration> declarations = new HashMap<>();
        List<Uni<Void>> lookups = new ArrayList<>();
        lookups.add(conn.preparedQuery("select id, kind, province_code, enterprise_credit_code from facility where id = any($1::text[])")
                .execute(Tuple.of((Object) facilityIds.toArray(new String[0])))
                .invoke(rows -> rows.forEach(r -> facilities.put(r.getString(0),
                        new FacilityInfo(r.getString(0), r.getString(1), r.getString(2), r.getString(3)))))
                .replaceWithVoid());
        lookups.add(loadLots(conn, lotIds, lots));
        // a batch of extractions names no shipment or declaration: no statement for those
        if (!shipmentIds.isEmpty()) {
            lookups.add(conn.preparedQuery("select shipment_id, lot_id, quantity, unit, from_facility, to_facility,"
                    + " expected_arrival, shipped_record, received_record, received_qty, status from shipment"
                    + " where shipment_id in (select unnest($1::text[])) for update").execute(Tuple.of((Object) shipmentIds.toArray(new String[0])))
                    .invoke(rows -> rows.forEach(r -> shipments.put(r.getString(0), shipment(r)))).replaceWithVoid());
        }
        if (!declarationIds.isEmpty()) {
            lookups.add(conn.preparedQuery("select declaration_id, lot_id, licence_number, destination, quantity,"
                    + " licence_answer, record_id, exporter, item_code from export_declaration where declaration_id in (select unnest($1::text[]))")
                    .execute(Tuple.of((Object) declarationIds.toArray(new String[0])))
                    .invoke(rows -> rows.forEach(r -> declarations.put(r.getString(0), new ChainState.Declaration(
                            r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getBigDecimal(4),
                            r.getString(5), r.getLong(6), r.getString(7), r.getString(8))))).replaceWithVoid());
        }
        return new Loading(lots, shipments, facilities, declarations, lookups);
    }

    private Uni<Void> loadLots(SqlConnection conn, Set<String> lotIds, Map<String, LotState> into) {
        if (lotIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("select lot_id, material, item_code, unit, created_qty, remaining, status, facility_id,"
                + " province_code, last_event_at from lot where lot_id in (select unnest($1::text[])) for update")
                .execute(Tuple.of((Object) lotIds.toArray(new String[0])))
                .invoke(rows -> rows.forEach(r -> into.put(r.getString(0), lot(r)))).replaceWithVoid();
    }

    /** One pending row: a new event of this batch, or a parked one from before. */
    private static final class Pending {
        final int index;
        final ChainEvent event;
        final FacilityInfo facility;
        final long recordId;
        final String clientId;
        final boolean stored;
        String waitingFor;
        boolean applied;
        String licenceAnswer;

        Pending(int index, ChainEvent event, FacilityInfo facility, long recordId, String clientId, boolean stored) {
            this.index = index;
            this.event = event;
            this.facility = facility;
            this.recordId = recordId;
            this.clientId = clientId;
            this.stored = stored;
        }
    }

    /** The batch's events that passed the facility checks, and parked events from before that now applied. */
    private record Evaluated(List<Pending> batch, List<Pending> unparked) {
    }

    private Uni<Evaluated> evaluate(SqlConnection conn, Caller caller, List<ChainEvent> events, EventAck[] acks,
            ChainState state, List<Long> recordIds) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (acks[i] != null) {
                continue;
            }
            ChainEvent e = events.get(i);
            FacilityInfo at = state.facilities.get(e.getFacilityId());
            if (at == null) {
                acks[i] = rejected(e, "UNKNOWN_FACILITY", "facility " + e.getFacilityId() + " is not registered");
            } else if (!caller.jurisdiction().covers(org.exportcontrol.platform.security.Jurisdiction.of(at.provinceCode()))) {
                acks[i] = rejected(e, "FACILITY_OUTSIDE_JURISDICTION", "facility " + at.id() + " is in province "
                        + at.provinceCode() + "; " + caller.subject() + " reports for " + caller.jurisdiction().code());
            } else {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(new Evaluated(List.of(), List.of()));
        }
        // record ids were drawn for every event that passed validation: candidates are fewer or as many
        List<Pending> pending = new ArrayList<>();
        for (int k = 0; k < candidates.size(); k++) {
            int i = candidates.get(k);
            ChainEvent e = events.get(i);
            pending.add(new Pending(i, e, state.facilities.get(e.getFacilityId()), recordIds.get(k), caller.subject(), false));
        }
        List<Pending> unparked = new ArrayList<>();
        return applyInOrder(state, pending, 0, acks)
                .chain(() -> unpark(conn, state, pending, unparked, new HashSet<>()))
                .replaceWith(() -> new Evaluated(pending, unparked));
    }

    /**
     * A batch expected fresh did not look its keys up. A resent event that is applied or parked
     * again fails on its key (and the batch runs again with the look-ups), but one that the custody
     * rules now reject (its shipment exists, its lot has moved on) writes no key: those few are
     * looked up here, and acknowledged as the duplicates they are.
     */
    private Uni<Void> duplicatesAmongRejected(SqlConnection conn, String client, List<ChainEvent> events, EventAck[] acks) {
        List<String> ids = new ArrayList<>();
        for (EventAck a : acks) {
            if (a.getResult() == EventResult.EVENT_RESULT_REJECTED && !"INVALID_EVENT".equals(a.getReason())) {
                ids.add(a.getEventId());
            }
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return knownKeys(conn, client, ids).invoke(known -> {
            for (int i = 0; i < acks.length; i++) {
                Long record = known.get(events.get(i).getEventId());
                if (record != null && acks[i].getResult() == EventResult.EVENT_RESULT_REJECTED) {
                    acks[i] = ack(events.get(i).getEventId(), EventResult.EVENT_RESULT_DUPLICATE, record);
                }
            }
        }).replaceWithVoid();
    }

    /**
     * Applies events in order. Most are decided synchronously, in a plain loop; only export
     * declarations wait for licensing, and the loop resumes after the answer (a chain of Unis per
     * event would nest one stack frame per event of the batch).
     */
    private Uni<Void> applyInOrder(ChainState state, List<Pending> pending, int from, EventAck[] acks) {
        for (int i = from; i < pending.size(); i++) {
            Pending p = pending.get(i);
            Uni<Void> step = tryApply(state, p, acks);
            if (step != null) {
                int next = i + 1;
                return step.chain(() -> applyInOrder(state, pending, next, acks));
            }
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Checks one event and applies it, parks it or rejects it. Returns null when that is done, or
     * the pending licensing call of an export declaration.
     */
    private Uni<Void> tryApply(ChainState state, Pending p, EventAck[] acks) {
        ChainState.Verdict verdict = state.check(p.event, p.facility);
        if (verdict instanceof ChainState.Rejected r) {
            if (p.index >= 0) {
                acks[p.index] = rejected(p.event, r.reason(), r.message());
            }
            return null;
        }
        if (verdict instanceof ChainState.Parked parked) {
            p.waitingFor = parked.waitingFor();
            if (p.index >= 0) {
                acks[p.index] = ack(p.event.getEventId(), EventResult.EVENT_RESULT_PARKED, p.recordId).toBuilder()
                        .setMessage("waiting for " + parked.waitingFor()).build();
            }
            return null;
        }
        if (!p.event.hasExportDeclared()) {
            applied(state, p, null, acks);
            return null;
        }
        return licensing.checkAndDecrement(decrement(p.event.getExportDeclared()))
                .invoke(answer -> applied(state, p, answer, acks)).replaceWithVoid();
    }

    private static void applied(ChainState state, Pending p, String licenceAnswer, EventAck[] acks) {
        p.licenceAnswer = licenceAnswer;
        p.waitingFor = null;
        p.applied = true;
        state.apply(p.event, p.facility, p.recordId, licenceAnswer);
        if (p.index >= 0) {
            EventAck.Builder ack = ack(p.event.getEventId(), EventResult.EVENT_RESULT_ACCEPTED, p.recordId).toBuilder();
            if (licenceAnswer != null) {
                ack.setLicenceAnswer(licenceAnswer);
            }
            acks[p.index] = ack.build();
        }
    }

    /** Applies parked events (of this batch or from before) whose dependency now exists; repeats while that frees more. */
    private Uni<Void> unpark(SqlConnection conn, ChainState state, List<Pending> batch, List<Pending> unparked,
            Set<String> handled) {
        Set<String> fresh = new LinkedHashSet<>(state.created);
        fresh.removeAll(handled);
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        handled.addAll(fresh);
        List<Pending> waiting = new ArrayList<>();
        for (Pending p : batch) {
            if (!p.applied && p.waitingFor != null && fresh.contains(p.waitingFor)) {
                waiting.add(p);
            }
        }
        return conn.preparedQuery("select record_id, client_id, payload, facility_id from chain_event"
                + " where status = 'PARKED' and waiting_for = any($1::text[]) order by record_id for update")
                .execute(Tuple.of((Object) fresh.toArray(new String[0])))
                .flatMap(rows -> {
                    List<ChainEvent> parked = new ArrayList<>();
                    rows.forEach(r -> parked.add(parse(r.getBuffer("payload").getBytes())));
                    return loadMissing(conn, state, parked).map(ignored -> {
                        List<Pending> all = new ArrayList<>(waiting);
                        int i = 0;
                        for (Row r : rows) {
                            ChainEvent e = parked.get(i++);
                            all.add(new Pending(-1, e, state.facilities.get(e.getFacilityId()), r.getLong("record_id"),
                                    r.getString("client_id"), true));
                        }
                        all.sort((a, b) -> Long.compare(a.recordId, b.recordId));
                        return all;
                    });
                })
                .flatMap(all -> applyInOrder(state, all, 0, new EventAck[0])
                        .invoke(() -> all.stream().filter(p -> p.stored && p.applied).forEach(unparked::add)))
                .chain(() -> unpark(conn, state, batch, unparked, handled));
    }

    /** The record ids under which this client's events with these ids were stored before. */
    private static Uni<Map<String, Long>> knownKeys(SqlConnection conn, String client, List<String> eventIds) {
        return conn.preparedQuery("select k.event_id, k.record_id from unnest($2::text[]) as wanted(id)"
                + " join event_key k on k.client_id = $1 and k.event_id = wanted.id")
                .execute(Tuple.of(client, eventIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Long> known = new HashMap<>();
                    rows.forEach(r -> known.put(r.getString(0), r.getLong(1)));
                    return known;
                });
    }

    /**
     * Loads what parked events from earlier batches name and the batch has not loaded: their
     * facilities (and destinations) and lots, those they create included, so that a lot that
     * exists is found as such.
     */
    private Uni<Void> loadMissing(SqlConnection conn, ChainState state, List<ChainEvent> parked) {
        Names names = new Names();
        parked.forEach(e -> names.add(e, true));
        names.facilities().removeAll(state.facilities.keySet());
        names.lots().removeAll(state.lots.keySet());
        Map<String, LotState> loaded = new HashMap<>();
        Uni<Void> facilities = names.facilities().isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("select id, kind, province_code, enterprise_credit_code from facility"
                        + " where id = any($1::text[])").execute(Tuple.of((Object) names.facilities().toArray(new String[0])))
                        .invoke(rows -> rows.forEach(f -> state.facilities.put(f.getString(0), new FacilityInfo(
                                f.getString(0), f.getString(1), f.getString(2), f.getString(3)))))
                        .replaceWithVoid();
        return facilities.chain(() -> loadLots(conn, names.lots(), loaded))
                .invoke(() -> loaded.forEach(state.lots::putIfAbsent));
    }

    private Uni<Void> persist(SqlConnection conn, Caller caller, ChainState state, List<Pending> batch,
            List<Pending> unparked, EventAck[] acks, Instant now) {
        OffsetDateTime received = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<Tuple> eventRows = new ArrayList<>();
        List<Tuple> keyRows = new ArrayList<>();
        StringBuilder digests = new StringBuilder();
        for (Pending p : batch) {
            if (!p.applied && p.waitingFor == null) {
                continue; // rejected
            }
            byte[] payload = p.event.toByteArray();
            digests.append(Digests.sha256Hex(payload));
            eventRows.add(Tuple.tuple().addLong(p.recordId).addString(p.clientId).addString(p.event.getEventId())
                    .addString(p.event.getPayloadCase().name()).addString(p.event.getFacilityId())
                    .addString(p.facility.provinceCode())
                    .addOffsetDateTime(OffsetDateTime.ofInstant(Timestamps.toInstant(p.event.getOccurredAt()), ZoneOffset.UTC))
                    .addOffsetDateTime(received).addBuffer(Buffer.buffer(payload))
                    .addString(p.applied ? "APPLIED" : "PARKED").addString(p.applied ? null : p.waitingFor)
                    .addString(p.licenceAnswer));
            keyRows.add(Tuple.of(p.clientId, p.event.getEventId(), p.recordId));
        }
        if (eventRows.isEmpty() && unparked.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> unparkRows = new ArrayList<>();
        for (Pending p : unparked) {
            unparkRows.add(Tuple.of(p.recordId, p.licenceAnswer));
        }
        // parked events of this batch that stay parked keep their first waiting_for; nothing else to update.
        // The writes are independent of each other: they are sent together (pipelined on the one
        // connection, executed in this order) instead of one round trip each.
        List<Uni<Void>> writes = new ArrayList<>();
        writes.add(insertRows(conn, "chain_event (record_id, client_id, event_id, kind, facility_id, province_code,"
                + " occurred_at, received_at, payload, status, waiting_for, licence_answer)",
                new String[] {"bigint", "text", "text", "text", "text", "text", "timestamptz", "timestamptz", "bytea", "text",
                    "text", "text"}, "", eventRows));
        writes.add(insertRows(conn, "event_key (client_id, event_id, record_id)",
                new String[] {"text", "text", "bigint"}, "", keyRows));
        writes.add(batch(conn, "update chain_event set status = 'APPLIED', waiting_for = null,"
                + " licence_answer = $2 where record_id = $1", unparkRows));
        writes.addAll(writeState(conn, state));
        // fail fast keeps the first failure as it is (a key race is retried); the connection still
        // runs the statements already sent before the rollback
        return Uni.join().all(writes).andFailFast()
                .chain(() -> audit.append(conn, AuditRecord.of(caller, caller.jurisdiction(), "chain-events.ingest",
                        "chain-events/" + firstRecord(batch, unparked) + "-" + lastRecord(batch, unparked), null)
                        .withDigests(null, Digests.sha256Hex(digests.toString()))))
                .chain(() -> signals(conn, state))
                .replaceWithVoid();
    }

    /** The statements that store the batch's lots, shipments, movements, links and declarations (not yet sent). */
    private List<Uni<Void>> writeState(SqlConnection conn, ChainState state) {
        // new lots are inserted and lots read from the database updated: a plain insert costs the
        // database less than an upsert, and a lot that exists after all fails on its key
        List<Tuple> newLotRows = new ArrayList<>();
        List<Tuple> changedLotRows = new ArrayList<>();
        for (LotState l : state.lots.values()) {
            if (l.dirty && !l.stored) {
                newLotRows.add(Tuple.tuple().addString(l.lotId).addString(l.material).addString(l.itemCode == null ? "" : l.itemCode)
                        .addString(l.unit).addBigDecimal(l.createdQuantity).addBigDecimal(l.remaining)
                        .addString(l.status.name()).addString(l.facilityId).addString(l.provinceCode)
                        .addOffsetDateTime(OffsetDateTime.ofInstant(l.lastEventAt, ZoneOffset.UTC))
                        .addLong(l.createdRecord).addString(l.createdProvince));
            } else if (l.dirty) {
                changedLotRows.add(Tuple.tuple().addString(l.lotId).addBigDecimal(l.remaining).addString(l.status.name())
                        .addString(l.facilityId).addString(l.provinceCode)
                        .addOffsetDateTime(OffsetDateTime.ofInstant(l.lastEventAt, ZoneOffset.UTC)));
            }
        }
        List<Tuple> shipmentRows = new ArrayList<>();
        for (ShipmentState s : state.shipments.values()) {
            if (s.dirty) {
                shipmentRows.add(Tuple.tuple().addString(s.shipmentId).addString(s.lotId).addBigDecimal(s.quantity)
                        .addString(s.unit).addString(s.fromFacility).addString(s.toFacility)
                        .addOffsetDateTime(s.expectedArrival == null ? null : OffsetDateTime.ofInstant(s.expectedArrival, ZoneOffset.UTC))
                        .addLong(s.shippedRecord).addLong(s.receivedRecord).addBigDecimal(s.receivedQuantity)
                        .addString(s.received ? "RECEIVED" : "IN_TRANSIT"));
            }
        }
        List<Tuple> movementRows = new ArrayList<>();
        for (Movement m : state.movements) {
            movementRows.add(Tuple.tuple().addString(m.facilityId()).addString(m.lotId()).addLong(m.recordId())
                    .addString(m.kind()).addBigDecimal(m.delta()).addString(m.unit())
                    .addOffsetDateTime(OffsetDateTime.ofInstant(m.occurredAt(), ZoneOffset.UTC)));
        }
        // the movements' monthly sums (stored in key order: concurrent batches then lock the rows
        // they share in the same order, and wait for each other instead of deadlocking)
        Map<List<String>, BigDecimal> monthly = new HashMap<>();
        for (Movement m : state.movements) {
            monthly.merge(List.of(m.facilityId(), ExportStatistics.period(m.occurredAt()), m.kind(), m.unit()), m.delta(),
                    BigDecimal::add);
        }
        List<Tuple> monthRows = new ArrayList<>();
        monthly.forEach((k, delta) -> monthRows.add(Tuple.of(k.get(0), k.get(1), k.get(2), k.get(3), delta)));
        List<Tuple> lotEventRows = new ArrayList<>();
        state.lotEvents.forEach(le -> lotEventRows.add(Tuple.of(le.lotId(), le.recordId())));
        List<Tuple> linkRows = new ArrayList<>();
        state.lotLinks.forEach(l -> linkRows.add(Tuple.of(l[0], l[1], l[2])));
        // a new lot has been in no province yet; a stored one may have been in this one before
        List<Tuple> newProvinceRows = new ArrayList<>();
        List<Tuple> provinceRows = new ArrayList<>();
        state.lotProvinces.forEach(lp -> {
            LotState lot = state.lots.get(lp.lotId());
            (lot != null && !lot.stored ? newProvinceRows : provinceRows).add(Tuple.of(lp.lotId(), lp.provinceCode()));
        });
        List<Tuple> declarationRows = new ArrayList<>();
        state.newDeclarations.forEach(d -> declarationRows.add(Tuple.tuple().addString(d.declarationId())
                .addString(d.lotId()).addString(d.licenceNumber()).addString(d.exporter()).addString(d.destination())
                .addBigDecimal(d.quantity()).addString(d.licenceAnswer()).addLong(d.recordId()).addString(d.itemCode())));
        List<Tuple> factRows = new ArrayList<>();
        state.exportFacts.forEach(f -> {
            ExportStatistics.Amount amount = ExportStatistics.amount(f.quantity());
            factRows.add(Tuple.tuple().addLong(f.recordId()).addString(f.kind()).addString(ExportStatistics.period(f.occurredAt()))
                    .addString(f.itemCode()).addString(f.provinceCode()).addString(amount.unit()).addBigDecimal(amount.value()));
        });
        return List.of(insertRows(conn, "lot (lot_id, material, item_code, unit, created_qty, remaining, status, facility_id,"
                + " province_code, last_event_at, created_record, created_province)", new String[] {"text", "text", "text", "text",
                    "numeric", "numeric", "text", "text", "text", "timestamptz", "bigint", "text"}, "", newLotRows),
                updateRows(conn, "lot set remaining = u.c1, status = u.c2, facility_id = u.c3, province_code = u.c4,"
                        + " last_event_at = u.c5", new String[] {"text", "numeric", "text", "text", "text", "timestamptz"},
                        "lot.lot_id = u.c0", changedLotRows),
                batch(conn, "insert into shipment (shipment_id, lot_id, quantity, unit, from_facility,"
                        + " to_facility, expected_arrival, shipped_record, received_record, received_qty, status)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (shipment_id) do update"
                        + " set received_record = excluded.received_record, received_qty = excluded.received_qty,"
                        + " status = excluded.status", shipmentRows),
                insertRows(conn, "stock_movement (facility_id, lot_id, record_id, kind, delta, unit, occurred_at)",
                        new String[] {"text", "text", "bigint", "text", "numeric", "text", "timestamptz"}, "", movementRows),
                insertRows(conn, "stock_month (facility_id, period, kind, unit, delta)",
                        new String[] {"text", "text", "text", "text", "numeric"}, " order by c0, c1, c2, c3"
                        + " on conflict (facility_id, period, kind, unit) do update set delta = stock_month.delta + excluded.delta",
                        monthRows),
                insertRows(conn, "lot_event (lot_id, record_id)", new String[] {"text", "bigint"}, "", lotEventRows),
                batch(conn, "insert into lot_link (parent_lot, child_lot, record_id) values ($1, $2, $3)"
                        + " on conflict do nothing", linkRows),
                insertRows(conn, "lot_province (lot_id, province_code)", new String[] {"text", "text"}, "", newProvinceRows),
                insertRows(conn, "lot_province (lot_id, province_code)", new String[] {"text", "text"},
                        " on conflict do nothing", provinceRows),
                batch(conn, "insert into export_declaration (declaration_id, lot_id, licence_number,"
                        + " exporter, destination, quantity, licence_answer, record_id, item_code)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9)", declarationRows),
                insertRows(conn, "export_fact (record_id, kind, period, item_code, province_code, unit, quantity)",
                        new String[] {"bigint", "text", "text", "text", "text", "text", "numeric"}, "", factRows));
    }

    /** Signals to enforcement: the batch's measured facts, and each changed facility's loss this month. */
    private Uni<Void> signals(SqlConnection conn, ChainState state) {
        List<SignalDraft> drafts = new ArrayList<>(state.signals);
        Uni<Void> losses = Uni.createFrom().voidItem();
        for (String facilityId : state.lossChanged) {
            FacilityInfo f = state.facilities.get(facilityId);
            if (f == null) {
                continue;
            }
            losses = losses.chain(() -> massBalance.currentMonth(conn, facilityId).invoke(balance -> {
                if (balance != null) {
                    drafts.add(new SignalDraft(org.exportcontrol.api.enforcement.v1.SignalKind.SIGNAL_KIND_FACILITY_LOSS,
                            org.exportcontrol.api.enforcement.v1.SubjectType.SUBJECT_TYPE_FACILITY, facilityId,
                            f.provinceCode(), Map.of("loss_percent", new String[] {balance.getLossPercent(), "%"},
                                    "loss", new String[] {balance.getLoss().getValue(), balance.getLoss().getUnit().name()}),
                            Map.of("period", balance.getPeriod()), null, Instant.now(), List.of(facilityId)));
                }
            }).replaceWithVoid());
        }
        return losses.chain(() -> quotas.crossings(conn, state)).invoke(drafts::addAll).chain(() -> {
            List<Function<String, RaiseSignalRequest>> requests = new ArrayList<>();
            for (SignalDraft d : drafts) {
                requests.add(id -> signal(id, d));
            }
            return outbox.enqueue(conn, "enforcement", SignalServiceGrpc.getRaiseSignalMethod(), requests);
        });
    }

    static RaiseSignalRequest signal(String id, SignalDraft d) {
        RaiseSignalRequest.Builder b = RaiseSignalRequest.newBuilder().setRequestId(id).setKind(d.kind())
                .setSubject(Subject.newBuilder().setType(d.subjectType()).setId(d.subjectId()))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(d.provinceCode()))
                .putAllFacts(d.facts()).setOccurredAt(Timestamps.of(d.occurredAt()))
                .addAllEvidenceIds(d.evidence()).setSource("provincial-reporting");
        d.measurements().forEach((name, valueUnit) -> b.addMeasurements(Measurement.newBuilder().setName(name)
                .setValue(valueUnit[0]).setUnit(valueUnit[1])));
        if (d.unitPrice() != null) {
            b.setUnitPrice(d.unitPrice());
        }
        return b.build();
    }

    private static CheckAndDecrementRequest decrement(ExportDeclared d) {
        return CheckAndDecrementRequest.newBuilder().setDeclarationId(d.getDeclarationId())
                .setLicenceNumber(d.getLicenceNumber()).setExporterCreditCode(d.getExporterCreditCode())
                .setItem(ItemRef.newBuilder(d.getItem())).setQuantity(d.getQuantity())
                .setDestinationCountryCode(d.getDestinationCountryCode()).build();
    }

    /**
     * Inserts many rows with one statement: the rows' columns travel as arrays and
     * {@code unnest} turns them back into rows (what JDBC's rewritten batch inserts achieve, and
     * much cheaper than one statement per row). Numbers, times and bytes travel as binary arrays
     * of their own type (no text to format here and parse in the database); decimals travel as
     * text and are cast, so that their exact digits are kept.
     */
    private static Uni<Void> insertRows(SqlConnection conn, String tableAndColumns, String[] types, String suffix,
            List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("insert into " + tableAndColumns + " " + selectUnnested(types) + suffix)
                .execute(columns(types, rows)).replaceWithVoid();
    }

    /** Updates many rows with one statement, from the same arrays as {@link #insertRows}: columns u.c0, u.c1 ... */
    private static Uni<Void> updateRows(SqlConnection conn, String tableAndSet, String[] types, String where, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("update " + tableAndSet + " from (" + selectUnnested(types) + ") as u where " + where)
                .execute(columns(types, rows)).replaceWithVoid();
    }

    /** {@code select r.c0 as c0, r.c1::numeric as c1 ... from unnest($1::text[], $2::text[] ...) as r(c0, c1 ...)} */
    private static String selectUnnested(String[] types) {
        StringBuilder select = new StringBuilder("select ");
        StringBuilder from = new StringBuilder(" from unnest(");
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < types.length; c++) {
            boolean binary = BINARY_ARRAYS.contains(types[c]);
            String comma = c == 0 ? "" : ", ";
            select.append(comma).append("r.c").append(c).append(binary || "text".equals(types[c]) ? "" : "::" + types[c])
                    .append(" as c").append(c);
            from.append(comma).append('$').append(c + 1).append("::").append(binary ? types[c] : "text").append("[]");
            names.append(comma).append('c').append(c);
        }
        return select.append(from).append(") as r(").append(names).append(')').toString();
    }

    /** One array per column, of the rows' values. */
    private static Tuple columns(String[] types, List<Tuple> rows) {
        int n = rows.size();
        List<Object> arrays = new ArrayList<>(types.length);
        for (int c = 0; c < types.length; c++) {
            boolean binary = BINARY_ARRAYS.contains(types[c]);
            Object[] column = switch (types[c]) {
                case "bytea" -> new io.vertx.core.buffer.Buffer[n];
                case "bigint" -> new Long[n];
                case "timestamptz" -> new OffsetDateTime[n];
                default -> new String[n];
            };
            for (int r = 0; r < n; r++) {
                Object value = rows.get(r).getValue(c);
                column[r] = value == null || binary ? value
                        : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            }
            arrays.add(column);
        }
        return Tuple.tuple(arrays);
    }

    /** Column types sent as binary arrays of their own type by {@link #insertRows}. */
    private static final Set<String> BINARY_ARRAYS = Set.of("bytea", "bigint", "timestamptz");

    private static Uni<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : conn.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    private final Map<EventResult, io.micrometer.core.instrument.Counter> ingested = new java.util.concurrent.ConcurrentHashMap<>();

    private void count(List<EventAck> acks) {
        for (EventAck a : acks) {
            ingested.computeIfAbsent(a.getResult(), r -> meters.counter("reporting_events_ingested_total", "result",
                    r.name().substring("EVENT_RESULT_".length()).toLowerCase())).increment();
        }
    }

    private static long firstRecord(List<Pending> batch, List<Pending> unparked) {
        return java.util.stream.Stream.concat(batch.stream(), unparked.stream()).mapToLong(p -> p.recordId).min().orElse(0);
    }

    private static long lastRecord(List<Pending> batch, List<Pending> unparked) {
        return java.util.stream.Stream.concat(batch.stream(), unparked.stream()).mapToLong(p -> p.recordId).max().orElse(0);
    }

    /**
     * A unique key of an event or of a lot the batch thought new: the batch met an event or lot
     * stored before (by an earlier batch it did not look up, or by a concurrent stream).
     */
    static boolean isUniqueConflict(Throwable t) {
        return t instanceof PgException pg && "23505".equals(pg.getSqlState()) && INGEST_KEYS.contains(pg.getConstraint());
    }

    private static final Set<String> INGEST_KEYS = Set.of("event_key_pkey", "lot_pkey", "lot_event_pkey", "lot_province_pkey");

    private static EventAck ack(String eventId, EventResult result, long recordId) {
        return EventAck.newBuilder().setEventId(eventId).setResult(result).setRecordId("EV-" + recordId).build();
    }

    private static EventAck rejected(ChainEvent e, String reason, String message) {
        return EventAck.newBuilder().setEventId(e.getEventId()).setResult(EventResult.EVENT_RESULT_REJECTED)
                .setReason(reason).setMessage(message).build();
    }

    private static ChainEvent parse(byte[] bytes) {
        try {
            return ChainEvent.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored event is unreadable", e);
        }
    }

    private static LotState lot(Row r) {
        LotState l = new LotState();
        l.lotId = r.getString("lot_id");
        l.material = r.getString("material");
        l.itemCode = r.getString("item_code");
        l.unit = r.getString("unit");
        l.createdQuantity = r.getBigDecimal("created_qty");
        l.remaining = r.getBigDecimal("remaining");
        l.status = LotState.Status.valueOf(r.getString("status"));
        l.facilityId = r.getString("facility_id");
        l.provinceCode = r.getString("province_code");
        l.lastEventAt = r.getOffsetDateTime("last_event_at").toInstant();
        l.stored = true;
        return l;
    }

    private static ShipmentState shipment(Row r) {
        ShipmentState s = new ShipmentState();
        s.shipmentId = r.getString("shipment_id");
        s.lotId = r.getString("lot_id");
        s.quantity = r.getBigDecimal("quantity");
        s.unit = r.getString("unit");
        s.fromFacility = r.getString("from_facility");
        s.toFacility = r.getString("to_facility");
        OffsetDateTime expected = r.getOffsetDateTime("expected_arrival");
        s.expectedArrival = expected == null ? null : expected.toInstant();
        s.shippedRecord = r.getLong("shipped_record");
        s.receivedRecord = r.getLong("received_record");
        s.receivedQuantity = r.getBigDecimal("received_qty");
        s.received = "RECEIVED".equals(r.getString("status"));
        return s;
    }
}
