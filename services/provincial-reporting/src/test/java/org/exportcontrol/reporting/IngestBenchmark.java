package org.exportcontrol.reporting;

import static org.exportcontrol.reporting.ReportingFixture.MINE;
import static org.exportcontrol.reporting.ReportingFixture.kg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.config.ConfigProvider;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.EventResult;
import org.exportcontrol.api.reporting.v1.Extracted;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.FacilityServiceGrpc;
import org.exportcontrol.api.reporting.v1.QuotaKind;
import org.exportcontrol.api.reporting.v1.QuotaServiceGrpc;
import org.exportcontrol.api.reporting.v1.SetQuotaAllocationRequest;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.testing.TestDatabase;
import org.exportcontrol.reporting.service.ExportStatistics;
import org.junit.jupiter.api.Test;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Ingest throughput: events/s over one gRPC stream (validation, de-duplication, custody, audit,
 * commit, acknowledgement) against a plain JDBC batched insert of the same rows into the same
 * tables, measured in the same run. Not a test (surefire runs *Test): run it with
 * {@code deploy/local/benchmark.sh ingest}. It prints the figures and writes them to
 * docs/benchmarks.md.
 */
@QuarkusTest
@QuarkusTestResource(LicensingProcess.class)
class IngestBenchmark {

    static final int EVENTS = Integer.getInteger("benchmark.events", 100_000);
    /**
     * Streamed (and inserted by JDBC) before the measured runs. After 10,000 the JIT compiler still
     * took half a core through the measured run, and the stream measured 0.6-0.7 of JDBC against
     * 0.9-1.2 after 50,000; after 50,000 the C2 compiler thread still took 0.6 of a core through
     * the measured run, after 200,000 0.2-0.5 (docs/benchmarks.md).
     */
    static final int WARMUP = Integer.getInteger("benchmark.warmup", 200_000);
    /** Measured rounds of EVENTS each, stream then JDBC; the figures are their medians. */
    static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    static final int JDBC_BATCH = 500;
    /** Events per request message, as a busy provincial system would pack them. */
    static final int PER_MESSAGE = Integer.getInteger("benchmark.per-message", 100);

    @GrpcClient("reporting")
    io.grpc.Channel reporting;
    @GrpcClient("reporting")
    FacilityServiceGrpc.FacilityServiceBlockingStub facilities;
    @GrpcClient("reporting")
    QuotaServiceGrpc.QuotaServiceBlockingStub quotas;
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void ingestThroughput() throws Exception {
        ReportingFixture.resetDatabase();
        ReportingFixture.registerFacilities(facilities);
        Instant start = Instant.now().minus(1, ChronoUnit.DAYS);
        // as for a real rare-earth mine, its enterprise has a mining quota, which every batch checks
        // (the benchmark's extractions use about 94 % of it, so use crossings are signalled too)
        TestDatabase.execute("truncate quota_allocation");
        ReportingFixture.as(quotas, "nat-industry-officer").setQuotaAllocation(SetQuotaAllocationRequest.newBuilder()
                .setRequestId(ReportingFixture.id()).setEnterpriseCreditCode(ReportingFixture.ENTERPRISE)
                .setYear(ChinaTime.dateOf(start).getYear()).setKind(QuotaKind.QUOTA_KIND_MINING)
                .setAllocated(Quantity.newBuilder().setValue("200000").setUnit(QuantityUnit.QUANTITY_UNIT_TONNE)).build());
        var stub = ChainEventServiceGrpc.newStub(reporting);

        // warm-up (JIT, connection pools), then measured rounds on fresh ids, stream and JDBC in turn:
        // the machine's speed drifts within minutes, so each round's ratio compares like with like
        run(stub, events("W", WARMUP, start));
        double jdbcWarm = jdbcBaseline(WARMUP, "W", 0, start);
        double[] streamRates = new double[ROUNDS];
        double[] jdbcRates = new double[ROUNDS];
        StringBuilder rounds = new StringBuilder();
        for (int r = 0; r < ROUNDS; r++) {
            List<ChainEvent> measured = events("M" + r, EVENTS, start);
            long t0 = System.nanoTime();
            List<EventAck> acks = run(stub, measured);
            double streamSeconds = (System.nanoTime() - t0) / 1e9;
            long accepted = acks.stream().filter(a -> a.getResult() == EventResult.EVENT_RESULT_ACCEPTED).count();
            if (accepted != EVENTS) {
                throw new AssertionError("only " + accepted + " of " + EVENTS + " events were accepted");
            }
            streamRates[r] = EVENTS / streamSeconds;
            jdbcRates[r] = EVENTS / jdbcBaseline(EVENTS, "J" + r, r + 1, start);
            rounds.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n", r + 1, streamRates[r], jdbcRates[r],
                    streamRates[r] / jdbcRates[r]));
        }
        double streamRate = median(streamRates);
        double jdbcRate = median(jdbcRates);
        String table = String.format(Locale.ROOT, """
                | round | gRPC stream events/s (one stream, %d events per message, commits of up to %d, acks after commit) | plain JDBC batched insert of the same rows events/s (batches of %d, one connection) | ratio stream / JDBC |
                |---|---|---|---|
                %s| median | %.0f | %.0f | %.2f |
                """, PER_MESSAGE, ConfigProvider.getConfig().getValue("reporting.ingest.batch-size", Integer.class), JDBC_BATCH,
                rounds, streamRate, jdbcRate, median(java.util.stream.IntStream.range(0, ROUNDS)
                        .mapToDouble(r -> streamRates[r] / jdbcRates[r]).toArray()));
        var batches = meters.find("reporting_ingest_batch_events").summary();
        var batchTime = meters.find("reporting_ingest_batch_seconds").timer();
        System.out.println("\n" + table + "(JDBC warm-up " + Math.round(WARMUP / jdbcWarm) + " events/s; batches: " + batches.count()
                + ", mean " + Math.round(batches.mean()) + " events, mean " + Math.round(batchTime.mean(java.util.concurrent.TimeUnit.MILLISECONDS))
                + " ms per batch; started beside the batch before: "
                + Math.round(meters.counter("reporting_ingest_batches_overlapped_total").count()) + ", of which ran again: "
                + Math.round(meters.counter("reporting_ingest_batches_overlap_reruns_total").count()) + ")");
        writeDoc(table);
    }

    private static List<EventAck> run(ChainEventServiceGrpc.ChainEventServiceStub stub, List<ChainEvent> events)
            throws Exception {
        return ReportingFixture.stream(stub, "360000", events, PER_MESSAGE);
    }

    private static List<ChainEvent> events(String prefix, int n, Instant start) {
        List<ChainEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ChainEvent.newBuilder().setEventId(prefix + "-EV-" + i).setFacilityId(MINE)
                    .setOccurredAt(org.exportcontrol.platform.grpc.Timestamps.of(start.plusMillis(i)))
                    .setExtracted(Extracted.newBuilder().setLotId("360000-" + prefix + "-LOT-" + i)
                            .setMaterial("ionic rare earth concentrate").setQuantity(kg("1250.5")))
                    .build());
        }
        return out;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The rows the service writes for an extracted event, inserted by plain JDBC. Returns seconds.
     * @param run numbers the run, so that each run's record ids are its own
     */
    private static double jdbcBaseline(int n, String prefix, int run, Instant start) throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class) + "?reWriteBatchedInserts=true";
        byte[] payload = events(prefix, 1, start).get(0).toByteArray();
        try (Connection c = DriverManager.getConnection(url, config.getValue("quarkus.datasource.username", String.class), "")) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement event = c.prepareStatement("insert into chain_event (record_id, client_id, event_id, kind,"
                    + " facility_id, province_code, occurred_at, received_at, payload, status) values (?,?,?,?,?,?,?,?,?,?)");
                    PreparedStatement key = c.prepareStatement("insert into event_key (client_id, event_id, record_id) values (?,?,?)");
                    PreparedStatement lot = c.prepareStatement("insert into lot (lot_id, material, item_code, unit, created_qty,"
                            + " remaining, status, facility_id, province_code, last_event_at, created_record, created_province)"
                            + " values (?,?,?,?,?,?,?,?,?,?,?,?)");
                    PreparedStatement movement = c.prepareStatement("insert into stock_movement (facility_id, lot_id, record_id,"
                            + " kind, delta, unit, occurred_at) values (?,?,?,?,?,?,?)");
                    PreparedStatement month = c.prepareStatement("insert into stock_month (facility_id, period, kind, unit, delta)"
                            + " values (?,?,?,?,?) on conflict (facility_id, period, kind, unit)"
                            + " do update set delta = stock_month.delta + excluded.delta")) {
                java.math.BigDecimal q = new java.math.BigDecimal("1250.5");
                java.util.Map<String, java.math.BigDecimal> monthly = new java.util.TreeMap<>();
                for (int i = 0; i < n; i++) {
                    long record = 900_000_000L + i + run * 10_000_000L;
                    String lotId = "360000-" + prefix + "-JDBC-LOT-" + i;
                    Timestamp when = Timestamp.from(start.plusMillis(i));
                    event.setLong(1, record);
                    event.setString(2, "benchmark-jdbc");
                    event.setString(3, prefix + "-JDBC-" + i);
                    event.setString(4, "EXTRACTED");
                    event.setString(5, MINE);
                    event.setString(6, "360000");
                    event.setTimestamp(7, when);
                    event.setTimestamp(8, when);
                    event.setBytes(9, payload);
                    event.setString(10, "APPLIED");
                    event.addBatch();
                    key.setString(1, "benchmark-jdbc");
                    key.setString(2, prefix + "-JDBC-" + i);
                    key.setLong(3, record);
                    key.addBatch();
                    lot.setString(1, lotId);
                    lot.setString(2, "ionic rare earth concentrate");
                    lot.setString(3, "");
                    lot.setString(4, "QUANTITY_UNIT_KILOGRAM");
                    lot.setBigDecimal(5, q);
                    lot.setBigDecimal(6, q);
                    lot.setString(7, "HELD");
                    lot.setString(8, MINE);
                    lot.setString(9, "360000");
                    lot.setTimestamp(10, when);
                    lot.setLong(11, record);
                    lot.setString(12, "360000");
                    lot.addBatch();
                    movement.setString(1, MINE);
                    movement.setString(2, lotId);
                    movement.setLong(3, record);
                    movement.setString(4, "EXTRACTED");
                    movement.setBigDecimal(5, q);
                    movement.setString(6, "QUANTITY_UNIT_KILOGRAM");
                    movement.setTimestamp(7, when);
                    movement.addBatch();
                    monthly.merge(ExportStatistics.period(when.toInstant()), q, java.math.BigDecimal::add);
                    if ((i + 1) % JDBC_BATCH == 0 || i == n - 1) {
                        monthly.forEach((period, sum) -> {
                            try {
                                month.setString(1, MINE);
                                month.setString(2, period);
                                month.setString(3, "EXTRACTED");
                                month.setString(4, "QUANTITY_UNIT_KILOGRAM");
                                month.setBigDecimal(5, sum);
                                month.addBatch();
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        monthly.clear();
                        for (PreparedStatement s : List.of(event, key, lot, movement, month)) {
                            s.executeBatch();
                        }
                        c.commit();
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static void writeDoc(String table) throws IOException {
        Path doc = Path.of("..", "..", "docs", "benchmarks.md");
        String section = "## Ingest: gRPC stream vs plain JDBC\n\nMeasured " + Instant.now().truncatedTo(ChronoUnit.MINUTES)
                + " on this project's 2-core machine with `deploy/local/benchmark.sh ingest` (" + ROUNDS + " rounds of " + EVENTS
                + " extracted events streamed, then inserted by JDBC, after " + WARMUP + " warm-up events each way; each writes an event, its de-duplication key,"
                + " a lot (naming the event and province that created it) and a stock movement, and each batch adds to the mine's"
                + " monthly stock sum; the stream also checks the mine's mining quota every batch).\n\n" + table + "\n";
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\nFigures measured on the project's own"
                + " machine (2 cores, PostgreSQL 15 on the same machine), each with its baseline from the same run.\n\n";
        int at = text.indexOf("## Ingest: gRPC stream vs plain JDBC");
        if (at >= 0) {
            int next = text.indexOf("\n## ", at + 1);
            text = text.substring(0, at) + section + (next >= 0 ? text.substring(next + 1) : "");
        } else {
            text = text + section;
        }
        Files.writeString(doc, text);
        TestDatabase.count("select 1");
    }
}
