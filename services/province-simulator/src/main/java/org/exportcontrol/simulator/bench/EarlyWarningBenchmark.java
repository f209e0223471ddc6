package org.exportcontrol.simulator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.notification.v1.SubscribeRequest;
import org.exportcontrol.api.notification.v1.SubscribeResponse;
import org.exportcontrol.api.notification.v1.SubscriptionServiceGrpc;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.EventResult;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.api.reporting.v1.Extracted;
import org.exportcontrol.api.reporting.v1.Facility;
import org.exportcontrol.api.reporting.v1.FacilityKind;
import org.exportcontrol.api.reporting.v1.FacilityServiceGrpc;
import org.exportcontrol.api.reporting.v1.Received;
import org.exportcontrol.api.reporting.v1.RegisterFacilityRequest;
import org.exportcontrol.api.reporting.v1.Shipped;
import org.exportcontrol.api.reporting.v1.StreamChainEventsRequest;
import org.exportcontrol.api.reporting.v1.StreamChainEventsResponse;
import org.exportcontrol.simulator.transport.Tokens;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Early-warning latency (deploy/local/benchmark.sh early-warning): from the acknowledgement of an
 * export declaration under a licence that was never issued (reporting acks after commit) to the
 * alert's notification (a) arriving on the province system's subscription stream and (b) in the
 * inbox of the province's enforcement officer (the inbox item's own {@code delivered_at}). Probe
 * declarations run at a fixed rate on top of open-loop background load (extraction events, which
 * trip no rule) at each rate asked for; rate 0 is the baseline (the probes alone).
 */
@Command(name = "bench-early-warning", hidden = true, mixinStandardHelpOptions = true,
        description = "Benchmark: event ack -> alert notification latency under background load (see deploy/local/benchmark.sh).")
public class EarlyWarningBenchmark implements Callable<Integer> {

    @Option(names = "--reporting", defaultValue = "127.0.0.1:8082")
    String reportingTarget;
    @Option(names = "--notification", defaultValue = "127.0.0.1:8084")
    String notificationTarget;
    @Option(names = "--province", defaultValue = "360000")
    String province;
    @Option(names = "--officer", defaultValue = "jx-enforcement-officer")
    String officer;
    @Option(names = "--rates", defaultValue = "0,1000,5000", split = ",", description = "Background events/s, one phase each.")
    List<Integer> rates;
    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per phase.")
    int seconds;
    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before each phase's measurement.")
    int warmup;
    @Option(names = "--probes", defaultValue = "5", description = "Violating declarations per second.")
    double probesPerSecond;
    @Option(names = "--prewarm", defaultValue = "15", description = "Seconds at 1,000 events/s before the phases, not counted"
            + " (JIT, pools, caches of all four services).")
    int prewarm;
    @Option(names = "--out", description = "Write the markdown table here.")
    Path out;

    @Inject
    Tokens tokens;

    private static final int PREWARM = 99;
    private static final String ENTERPRISE = "91360700MA0DEM013P";
    private final String run = "B" + Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase(Locale.ROOT);
    private String mine;
    private String port;

    /** declaration id -> probe */
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    /** event id -> declaration id, for the declaration events */
    private final Map<String, String> declarationEvents = new ConcurrentHashMap<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong notAccepted = new AtomicLong();

    static final class Probe {
        final int phase;
        final boolean measured;
        volatile Instant ackedAt;
        volatile Instant streamedAt;
        volatile Instant inboxAt;

        Probe(int phase, boolean measured) {
            this.phase = phase;
            this.measured = measured;
        }
    }

    @Override
    public Integer call() throws Exception {
        mine = province + "-BENCH-MINE";
        port = province + "-BENCH-PORT";
        ManagedChannel reporting = ManagedChannelBuilder.forTarget(reportingTarget).usePlaintext().build();
        ManagedChannel notification = ManagedChannelBuilder.forTarget(notificationTarget).usePlaintext().build();
        try {
            System.out.println("[bench] run " + run);
            register(reporting);
            subscribe(notification);
            Sender sender = new Sender(reporting);
            if (prewarm > 0) {
                int measuredSeconds = seconds;
                int warm = warmup;
                seconds = prewarm;
                warmup = 0;
                runPhase(sender, PREWARM, 1000);
                seconds = measuredSeconds;
                warmup = warm;
                // the phases start from a settled platform: every warm-up probe's notification arrived
                // (a backlog left by the warm-up would otherwise be measured as the baseline's latency)
                waitFor(this::allNotified, 60_000);
            }
            List<long[]> achieved = new ArrayList<>();
            for (int phase = 0; phase < rates.size(); phase++) {
                achieved.add(runPhase(sender, phase, rates.get(phase)));
            }
            // let the last notifications arrive
            waitFor(this::allNotified, 30_000);
            sender.close();
            readInbox(notification);
            String table = table(achieved);
            System.out.println(table);
            if (out != null) {
                Files.writeString(out, table);
            }
            return 0;
        } finally {
            reporting.shutdownNow();
            notification.shutdownNow();
        }
    }

    private void register(ManagedChannel channel) {
        var stub = FacilityServiceGrpc.newBlockingStub(channel).withCallCredentials(tokens.credentials(province));
        for (String[] f : List.of(new String[] { mine, "MINE" }, new String[] { port, "PORT" })) {
            try {
                stub.withDeadlineAfter(20, TimeUnit.SECONDS).registerFacility(RegisterFacilityRequest.newBuilder()
                        .setRequestId("bench-" + UUID.randomUUID())
                        .setFacility(Facility.newBuilder().setId(f[0]).setKind(FacilityKind.valueOf("FACILITY_KIND_" + f[1]))
                                .setName("benchmark " + f[1].toLowerCase(Locale.ROOT) + " (demo)")
                                .setEnterpriseCreditCode(ENTERPRISE).setProvinceCode(province))
                        .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
    }

    private void subscribe(ManagedChannel channel) {
        SubscriptionServiceGrpc.newStub(channel).withCallCredentials(tokens.credentials(province))
                .subscribe(SubscribeRequest.newBuilder().build(), new StreamObserver<SubscribeResponse>() {
                    @Override
                    public void onNext(SubscribeResponse r) {
                        Probe p = probeOf(r.getNotification().getTitle());
                        if (p != null && p.streamedAt == null) {
                            p.streamedAt = Instant.now();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        System.err.println("[bench] subscription ended: " + t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    /** The title is "<rule> (rule set vN): <subject id>"; the subject of an export declaration's alert is the declaration. */
    private Probe probeOf(String title) {
        int at = title.lastIndexOf(": ");
        return at < 0 ? null : probes.get(title.substring(at + 2));
    }

    /** Runs one phase: warm-up, then the measured seconds. Returns {events sent, acked events} of the measured part. */
    private long[] runPhase(Sender sender, int phase, int rate) throws InterruptedException {
        System.err.printf(Locale.ROOT, "[bench] phase %d: %d background events/s + %.1f probes/s, %d s warm-up, %d s measured%n",
                phase, rate, probesPerSecond, warmup, seconds);
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
        long total = TimeUnit.SECONDS.toNanos(warmup + seconds);
        long start = System.nanoTime();
        double background = 0;
        double probeDebt = 0;
        long sentMeasured = 0;
        long ackedAtMeasureStart = -1;
        int seq = 0;
        for (long tick = 0;; tick++) {
            long due = start + tick * tickNanos;
            long now = System.nanoTime();
            if (due - start >= total) {
                break;
            }
            if (due > now) {
                TimeUnit.NANOSECONDS.sleep(due - now);
            }
            boolean measured = due - start >= TimeUnit.SECONDS.toNanos(warmup);
            if (measured && ackedAtMeasureStart < 0) {
                ackedAtMeasureStart = acked.get();
            }
            List<ChainEvent> batch = new ArrayList<>();
            background += rate / 100.0;
            probeDebt += probesPerSecond / 100.0;
            Instant at = Instant.now();
            while (background >= 1) {
                background--;
                String id = run + "-" + phase + "-" + (seq++);
                batch.add(ChainEvent.newBuilder().setEventId(id).setFacilityId(mine).setOccurredAt(ts(at))
                        .setExtracted(Extracted.newBuilder().setLotId(province + "-" + id).setMaterial("ionic rare earth concentrate")
                                .setQuantity(kg("1250.5")))
                        .build());
            }
            while (probeDebt >= 1) {
                probeDebt--;
                batch.addAll(probe(phase, seq++, measured, at));
            }
            if (measured) {
                sentMeasured += batch.size();
            }
            if (!batch.isEmpty()) {
                sender.send(batch);
            }
        }
        long ackedMeasured = acked.get() - Math.max(0, ackedAtMeasureStart);
        return new long[] { sentMeasured, ackedMeasured };
    }

    /** A lot extracted, shipped to the port, received, and declared for export under a licence never issued. */
    private List<ChainEvent> probe(int phase, int n, boolean measured, Instant at) {
        String id = run + "-" + phase + "-P" + n;
        String lot = province + "-" + id;
        String shipment = lot + "-S";
        String declaration = lot + "-D";
        probes.put(declaration, new Probe(phase, measured));
        declarationEvents.put(id + "-d", declaration);
        Quantity q = Quantity.newBuilder().setValue("1200").setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO).build();
        var ts = ts(at);
        String licence = "EL-" + province + "-" + at.atZone(java.time.ZoneId.of("Asia/Shanghai")).getYear() + "-000000";
        return List.of(
                ChainEvent.newBuilder().setEventId(id + "-x").setFacilityId(mine).setOccurredAt(ts)
                        .setExtracted(Extracted.newBuilder().setLotId(lot).setMaterial("dysprosium oxide").setQuantity(q)).build(),
                ChainEvent.newBuilder().setEventId(id + "-s").setFacilityId(mine).setOccurredAt(ts)
                        .setShipped(Shipped.newBuilder().setShipmentId(shipment).setLotId(lot).setQuantity(q).setToFacilityId(port)
                                .setCarrier("benchmark carrier").setVehicle("TRUCK-1").setSeal("SEAL-" + n)
                                .setExpectedArrival(ts(at.plus(Duration.ofHours(1)))))
                        .build(),
                ChainEvent.newBuilder().setEventId(id + "-r").setFacilityId(port).setOccurredAt(ts)
                        .setReceived(Received.newBuilder().setShipmentId(shipment).setWeighedQuantity(q)).build(),
                ChainEvent.newBuilder().setEventId(id + "-d").setFacilityId(port).setOccurredAt(ts)
                        .setExportDeclared(ExportDeclared.newBuilder().setDeclarationId(declaration).setLicenceNumber(licence)
                                .setExporterCreditCode(ENTERPRISE).setLotId(lot)
                                .setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2846901993"))
                                .setQuantity(q).setDestinationCountryCode("DE")
                                .setUnitPrice(Money.newBuilder().setAmount("230.00").setCurrencyCode("USD")))
                        .build());
    }

    private static com.google.protobuf.Timestamp ts(Instant at) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    private static Quantity kg(String v) {
        return Quantity.newBuilder().setValue(v).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM).build();
    }

    /** One event stream; records the acknowledgement time of each probe declaration. */
    private final class Sender {
        private final ClientCallStreamObserver<StreamChainEventsRequest> requests;

        Sender(ManagedChannel channel) {
            var holder = new Object() {
                ClientCallStreamObserver<StreamChainEventsRequest> stream;
            };
            ChainEventServiceGrpc.newStub(channel).withCallCredentials(tokens.credentials(province))
                    .streamChainEvents(new ClientResponseObserver<StreamChainEventsRequest, StreamChainEventsResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<StreamChainEventsRequest> s) {
                            holder.stream = s;
                        }

                        @Override
                        public void onNext(StreamChainEventsResponse r) {
                            Instant now = Instant.now();
                            for (EventAck ack : r.getAcksList()) {
                                acked.incrementAndGet();
                                if (ack.getResult() != EventResult.EVENT_RESULT_ACCEPTED
                                        && notAccepted.incrementAndGet() <= 5) {
                                    System.err.println("[bench] not accepted: " + ack.getEventId() + " " + ack.getResult() + " "
                                            + ack.getReason() + " " + ack.getMessage());
                                }
                                String declaration = declarationEvents.get(ack.getEventId());
                                if (declaration != null) {
                                    probes.get(declaration).ackedAt = now;
                                }
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            System.err.println("[bench] event stream failed: " + t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests = holder.stream;
        }

        synchronized void send(List<ChainEvent> events) {
            for (int i = 0; i < events.size(); i += 500) {
                requests.onNext(StreamChainEventsRequest.newBuilder()
                        .addAllEvents(events.subList(i, Math.min(events.size(), i + 500))).build());
            }
        }

        synchronized void close() {
            requests.onCompleted();
        }
    }

    /** The officer's inbox, newest first, until every probe is found or the items are older than this run. */
    private void readInbox(ManagedChannel channel) {
        var stub = InboxServiceGrpc.newBlockingStub(channel).withCallCredentials(tokens.credentials(officer));
        waitFor(() -> {
            String token = "";
            long missing = probes.values().stream().filter(p -> p.ackedAt != null && p.inboxAt == null).count();
            do {
                var page = stub.withDeadlineAfter(20, TimeUnit.SECONDS)
                        .listInboxItems(ListInboxItemsRequest.newBuilder().setPageSize(500).setPageToken(token).build());
                for (InboxItem item : page.getItemsList()) {
                    Probe p = probeOf(item.getNotification().getTitle());
                    if (p != null && p.inboxAt == null) {
                        p.inboxAt = Instant.ofEpochSecond(item.getDeliveredAt().getSeconds(), item.getDeliveredAt().getNanos());
                        missing--;
                    }
                }
                token = page.getNextPageToken();
            } while (!token.isEmpty() && missing > 0);
            return missing <= 0;
        }, 30_000);
    }

    /** Every acknowledged probe's notification arrived on the subscription. */
    private boolean allNotified() {
        return probes.values().stream().allMatch(p -> p.ackedAt == null || p.streamedAt != null);
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long millis) {
        long until = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String table(List<long[]> achieved) {
        StringBuilder b = new StringBuilder();
        b.append("| background events/s (asked) | events/s acked | probes | ack -> stream p50 / p95 / p99 / max (ms)"
                + " | ack -> inbox p50 / p95 / p99 / max (ms) | probes without notification |\n|---|---|---|---|---|---|\n");
        for (int phase = 0; phase < rates.size(); phase++) {
            int ph = phase;
            List<Probe> measured = probes.values().stream().filter(p -> p.phase == ph && p.measured && p.ackedAt != null).toList();
            long[] stream = latencies(measured, p -> p.streamedAt);
            long[] inbox = latencies(measured, p -> p.inboxAt);
            long lost = measured.stream().filter(p -> p.streamedAt == null || p.inboxAt == null).count();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %s | %s | %d |%n", rates.get(phase) == 0 ? "0 (baseline)" : rates.get(phase),
                    achieved.get(phase)[1] / (double) seconds, measured.size(), percentiles(stream), percentiles(inbox), lost));
        }
        return b.toString();
    }

    private static long[] latencies(List<Probe> probes, java.util.function.Function<Probe, Instant> to) {
        return probes.stream().filter(p -> to.apply(p) != null)
                .mapToLong(p -> Duration.between(p.ackedAt, to.apply(p)).toMillis()).sorted().toArray();
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "-";
        }
        return p(sorted, 50) + " / " + p(sorted, 95) + " / " + p(sorted, 99) + " / " + sorted[sorted.length - 1];
    }

    private static long p(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
