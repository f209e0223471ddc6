package org.exportcontrol.simulator.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.exportcontrol.api.licensing.v1.Licence;
import org.exportcontrol.api.licensing.v1.LicenceServiceGrpc;
import org.exportcontrol.api.licensing.v1.LicenceStatus;
import org.exportcontrol.api.licensing.v1.ListLicencesRequest;
import org.exportcontrol.api.licensing.v1.ListLicencesResponse;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.FacilityServiceGrpc;
import org.exportcontrol.api.reporting.v1.GetFacilityRequest;
import org.exportcontrol.simulator.data.DemoData;
import org.exportcontrol.simulator.generator.ChainGenerator;
import org.exportcontrol.simulator.generator.Scenario;
import org.exportcontrol.simulator.transport.Channels;
import org.exportcontrol.simulator.transport.EventStreamer;
import org.exportcontrol.simulator.transport.Tokens;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Signs in as a province's system and streams its chain of custody at a chosen rate, with
 * scenario switches that seed violations. Scenario events go first (unthrottled), so their alerts
 * follow within seconds; normal chains follow at {@code --rate}. On its end (duration, event
 * count, or SIGTERM) it completes the chains it opened, so nothing it started stays in transit,
 * and waits for every acknowledgement.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stream a province's chain events (extracted -> separated -> shipped -> received ->"
                + " consumed / declared -> exported) over ChainEventService.StreamChainEvents, with flow control,"
                + " resending after a broken stream, and scenario switches that seed violations."})
public class StreamCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--province", required = true, paramLabel = "CODE",
            description = "The province whose system this is (GB/T 2260 code: 150000, 360000, 430000, 450000).")
    String province;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "EVENTS_PER_S",
            description = "Events per second after the scenario events (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long, e.g. 90s, 10m, 2h (default: until --events or stopped).")
    String duration;

    @Option(names = "--events", paramLabel = "N", description = "Stop after N events (then the open chains are completed).")
    Long events;

    @Option(names = "--scenarios", defaultValue = "none", paramLabel = "LIST",
            description = "Violations to seed: all, none, or a comma-separated list of: unlicensed-export,"
                    + " transshipment, custody-gap, mass-balance-leak, quota-overrun (default ${DEFAULT-VALUE}).")
    String scenarios;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: from the clock; printed).")
    Long seed;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id in every event, lot, shipment and declaration id (1-16 letters or digits;"
                    + " default: from the clock). The same seed and run id give the same events: a rerun is then"
                    + " acknowledged as duplicates.")
    String runId;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "N",
            description = "At most N events per stream message (1-500, default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--chains", defaultValue = "3", paramLabel = "N",
            description = "Normal chains open at once, interleaved (1-1000, default ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--window", defaultValue = "10000", paramLabel = "N",
            description = "At most N unacknowledged events; generation waits beyond (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--progress", defaultValue = "5s", paramLabel = "DURATION",
            description = "How often progress is printed (default ${DEFAULT-VALUE}).")
    String progress;

    @Inject
    Channels channels;
    @Inject
    Tokens tokens;

    private volatile boolean stopRequested;

    @Override
    public Integer call() throws InterruptedException {
        DemoData data = DemoData.load();
        DemoData.Province p = data.province(province).orElseThrow(() -> bad("unknown province " + province
                + "; the demo data has " + String.join(", ", data.provinces().stream().map(DemoData.Province::code).toList())));
        Set<Scenario> on;
        try {
            on = Scenario.parse(scenarios);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (!(rate > 0 && rate <= 1_000_000)) {
            throw bad("--rate must be more than 0 and at most 1000000 events/s, not " + rate);
        }
        if (duration != null && events != null) {
            throw bad("give --duration or --events, not both");
        }
        Duration limit = duration == null ? null : parseDuration("--duration", duration);
        Duration every = parseDuration("--progress", progress);
        if (events != null && events < 1) {
            throw bad("--events must be at least 1");
        }
        if (batch < 1 || batch > 500) {
            throw bad("--batch must be 1 to 500 (the service takes at most 500 events per message)");
        }
        if (chains < 1 || chains > 1000) {
            throw bad("--chains must be 1 to 1000");
        }
        if (window < batch) {
            throw bad("--window must be at least --batch");
        }
        String run = runId != null ? runId : Long.toString(System.currentTimeMillis() / 1000, 36);
        if (!run.matches("[A-Za-z0-9]{1,16}")) {
            throw bad("--run-id must be 1 to 16 letters or digits");
        }
        long randomSeed = seed != null ? seed : System.nanoTime();

        ChainGenerator.Licences licences;
        try {
            checkFacilities(p);
            licences = licences(p, on.contains(Scenario.TRANSSHIPMENT));
        } catch (StatusRuntimeException e) {
            System.err.println("[stream] ERROR: " + Calls.describe(e));
            return 1;
        } catch (Tokens.TokenException | IllegalStateException e) {
            System.err.println("[stream] ERROR: " + e.getMessage());
            return 1;
        }

        ChainGenerator generator = new ChainGenerator(p, licences, on, randomSeed, run, Instant::now, chains);
        say("province " + p.code() + " (" + p.name() + ") as province-" + p.code() + "-system; run " + run + ", seed "
                + randomSeed + ", " + rate + " events/s" + (limit != null ? " for " + limit : "")
                + (events != null ? ", " + events + " events" : "") + "; licences " + licences.main()
                + (licences.oman() == null ? "" : ", " + licences.oman()));
        generator.seeded().forEach((s, subject) -> say("scenario " + s.cliName() + ": " + subject + " -> expect alert "
                + s.ruleCode() + " in " + p.code()));

        AtomicInteger shownRejections = new AtomicInteger();
        EventStreamer streamer = new EventStreamer(channels.reporting(), tokens.credentials(p.code()), batch,
                new EventStreamer.Listener() {
                    @Override
                    public void rejected(EventAck ack) {
                        if (shownRejections.incrementAndGet() <= 20) {
                            say("rejected " + ack.getEventId() + ": " + ack.getReason() + " " + ack.getMessage());
                        }
                    }

                    @Override
                    public void stream(String message) {
                        say(message);
                    }
                });

        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested = true;
            try {
                done.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "stream-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        long start = System.nanoTime();
        long generated = 0;
        long nextProgress = start + every.toNanos();
        long lastAcked = 0;
        long lastProgress = start;
        try {
            while (!stopRequested) {
                long now = System.nanoTime();
                double elapsed = (now - start) / 1e9;
                if (limit != null && now - start >= limit.toNanos()) {
                    break;
                }
                if (events != null && generated >= events) {
                    break;
                }
                long allowed = generator.scenarioEvents() + (long) (elapsed * rate);
                long n = Math.min(allowed - generated, window - streamer.unacknowledged());
                if (events != null) {
                    n = Math.min(n, events - generated);
                }
                if (n > 0) {
                    List<ChainEvent> out = new ArrayList<>((int) Math.min(n, 10_000));
                    for (long i = 0; i < n && i < 10_000; i++) {
                        out.add(generator.next());
                    }
                    streamer.offer(out);
                    generated += out.size();
                }
                if (now >= nextProgress) {
                    long acked = streamer.counts().acked();
                    double perSecond = (acked - lastAcked) / ((now - lastProgress) / 1e9);
                    progress(generated, streamer, perSecond);
                    lastAcked = acked;
                    lastProgress = now;
                    nextProgress = now + every.toNanos();
                }
                if (n <= 0) {
                    TimeUnit.MILLISECONDS.sleep(rate >= 200 ? 2 : 20);
                }
            }
            List<ChainEvent> rest = generator.finishOpenChains();
            say((stopRequested ? "stopping" : "finishing") + ": completing the open chains (" + rest.size()
                    + " events), waiting for every acknowledgement");
            streamer.offer(rest);
            generated += rest.size();
            boolean all = streamer.finish(stopRequested ? 10_000 : 120_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress(generated, streamer, streamer.counts().acked() / seconds);
            say("done: " + generated + " events in " + String.format(Locale.ROOT, "%.1f", seconds) + " s"
                    + (all ? "" : "; " + streamer.unacknowledged() + " NOT acknowledged"));
            return all && streamer.counts().rejected.get() == 0 ? 0 : 1;
        } finally {
            done.countDown();
            if (!stopRequested) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            }
        }
    }

    private void progress(long generated, EventStreamer streamer, double perSecond) {
        EventStreamer.Counts c = streamer.counts();
        say(String.format(Locale.ROOT, "sent %d, acked %d (accepted %d, duplicate %d, parked %d, rejected %d),"
                + " %.1f events/s, unacknowledged %d, reconnects %d", generated, c.acked(), c.accepted.get(),
                c.duplicate.get(), c.parked.get(), c.rejected.get(), perSecond, streamer.unacknowledged(),
                c.reconnects.get()));
    }

    /** Every facility the chain uses must be registered (by `seed`). */
    private void checkFacilities(DemoData.Province p) {
        DemoData.Chain c = p.chain();
        Set<String> ids = new LinkedHashSet<>(c.mines());
        ids.addAll(List.of(c.quotaMine(), c.separationPlant(), c.leakPlant(), c.magnetMaker(), c.warehouse(), c.exportPoint()));
        var stub = FacilityServiceGrpc.newBlockingStub(channels.reporting()).withCallCredentials(tokens.credentials(p.code()));
        for (String id : ids) {
            try {
                Calls.deadline(stub).getFacility(GetFacilityRequest.newBuilder().setId(id).build());
            } catch (StatusRuntimeException e) {
                if (Calls.is(e, Status.Code.NOT_FOUND)) {
                    throw new IllegalStateException("facility " + id + " is not registered: run the simulator's `seed` first");
                }
                throw e;
            }
        }
    }

    /** The issued licences the province's exports are declared under (read as the province's system). */
    private ChainGenerator.Licences licences(DemoData.Province p, boolean needOman) {
        var stub = LicenceServiceGrpc.newBlockingStub(channels.licensing()).withCallCredentials(tokens.credentials(p.code()));
        List<Licence> all = new ArrayList<>();
        String token = "";
        do {
            ListLicencesResponse r = Calls.deadline(stub).listLicences(ListLicencesRequest.newBuilder().setPageSize(100)
                    .setPageToken(token).build());
            all.addAll(r.getLicencesList());
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        String main = find(all, p.licence("main")).orElseThrow(() -> new IllegalStateException("no issued licence of "
                + p.licence("main").exporter() + " for " + p.licence("main").itemCode() + " to "
                + p.licence("main").destination() + " with a balance left: run the simulator's `seed` first"));
        String oman = find(all, p.licence("oman")).orElse(null);
        if (needOman && oman == null) {
            throw new IllegalStateException("no issued licence to Oman for the transshipment scenario: run `seed` first");
        }
        return new ChainGenerator.Licences(main, oman);
    }

    private static Optional<String> find(List<Licence> licences, DemoData.Licence wanted) {
        return licences.stream()
                .filter(l -> l.getStatus() == LicenceStatus.LICENCE_STATUS_ISSUED)
                .filter(l -> l.getExporterCreditCode().equals(wanted.exporter()))
                .filter(l -> l.getDestinationCountryCode().equals(wanted.destination()))
                .filter(l -> l.getLinesList().stream().anyMatch(line -> line.getItem().getItemCode().equals(wanted.itemCode())
                        && new BigDecimal(line.getRemaining().getValue().isEmpty() ? "0" : line.getRemaining().getValue()).signum() > 0))
                .max(Comparator.comparing(l -> remaining(l, wanted.itemCode())))
                .map(Licence::getNumber);
    }

    private static BigDecimal remaining(Licence l, String item) {
        return l.getLinesList().stream().filter(line -> line.getItem().getItemCode().equals(item))
                .map(line -> new BigDecimal(line.getRemaining().getValue().isEmpty() ? "0" : line.getRemaining().getValue()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private Duration parseDuration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.matches("\\d+(ms|s|m|h)")) {
                long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
                d = switch (t.replaceAll("^\\d+", "")) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (d.isNegative() || d.isZero()) {
                throw bad(option + " must be positive: " + text);
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw bad(option + " must be a duration such as 90s, 10m, 2h or PT1H30M, not " + text);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void say(String line) {
        System.out.println("[stream] " + line);
    }
}
