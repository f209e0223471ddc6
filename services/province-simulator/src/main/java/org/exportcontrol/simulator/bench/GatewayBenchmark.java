package org.exportcontrol.simulator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.exportcontrol.simulator.transport.Tokens;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gateway API latency (deploy/local/benchmark.sh gateway): an open-loop load generator. Requests
 * are sent on a fixed schedule whatever the answers do, and each latency is counted from the
 * request's scheduled time to the end of its answer, so a slow answer is not hidden by the
 * generator waiting for it. Each path is a phase at the same rate: the health endpoint (no token)
 * is the baseline, the API paths carry a real access token of a demo user (Keycloak, renewed
 * before it expires), the users taking turns request by request. A path written
 * {@code no-cache:/api/...} is asked for with {@code Cache-Control: no-cache}, so that the gateway
 * answers it from the services, not from a cache (the alerts list, gateway AlertPages).
 */
@Command(name = "bench-gateway", hidden = true, mixinStandardHelpOptions = true,
        description = "Benchmark: gateway latency at a fixed request rate (see deploy/local/benchmark.sh).")
public class GatewayBenchmark implements Callable<Integer> {

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8080")
    String gateway;
    @Option(names = "--users", defaultValue = "nat-coordinator", split = ",",
            description = "Demo users whose tokens the API requests carry, in turn.")
    List<String> users;
    @Option(names = "--paths", defaultValue = "/q/health/live,/api/v1/me,/api/v1/alerts", split = ",")
    List<String> paths;
    @Option(names = "--rate", defaultValue = "200")
    int rate;
    @Option(names = "--seconds", defaultValue = "20")
    int seconds;
    @Option(names = "--warmup", defaultValue = "15", description = "Seconds of warm-up per path, ramping up to the rate.")
    int warmup;
    @Option(names = "--prewarm", defaultValue = "15", description = "Seconds per path of a first round over every path,"
            + " ramping up to the rate, before the phases (not counted).")
    int prewarm;
    @Option(names = "--out")
    Path out;

    @Inject
    Tokens tokens;

    private static final String NO_CACHE = "no-cache:";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| path | tokens | requests/s (asked) | requests | errors | p50 (ms) | p99 (ms) | max (ms) | p99 vs health |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n"));
        double baselineP99 = 0;
        // A first round over every path, not counted: whichever phase came first after the start
        // measured the start-up's aftermath (runs with /api/v1/me second gave it p99 55-162 ms; with
        // it last, 7.5 ms, and the alerts page in its place 90 ms), not a running gateway.
        for (String entry : paths) {
            phase(path(entry), path(entry).startsWith("/api/"), entry.startsWith(NO_CACHE), prewarm, null);
        }
        for (String entry : paths) {
            boolean noCache = entry.startsWith(NO_CACHE);
            String path = path(entry);
            boolean api = path.startsWith("/api/");
            phase(path, api, noCache, warmup, null);
            AtomicLong errors = new AtomicLong();
            List<Long> micros = Collections.synchronizedList(new ArrayList<>());
            phase(path, api, noCache, seconds, new Object[] { micros, errors });
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            double p50 = p(sorted, 50) / 1000.0;
            double p99 = p(sorted, 99) / 1000.0;
            if (!api && baselineP99 == 0) {
                baselineP99 = p99;
            }
            table.append(String.format(Locale.ROOT, "| `GET %s`%s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %s |%n", path,
                    noCache ? " with `Cache-Control: no-cache`" : "", api ? String.join(", ", users) : "none", rate, sorted.length, errors.get(), p50, p99,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
                    baselineP99 > 0 ? String.format(Locale.ROOT, "%.2f", p99 / baselineP99) : "-"));
            System.err.println("[bench] " + entry + " done");
        }
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table.toString());
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private void phase(String path, boolean api, boolean noCache, int secs, Object[] record) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        // Warm-up ramps from a tenth of the rate to the full rate, so that the JIT compiles the path
        // before the full rate arrives: a cold JVM at the full rate builds a backlog that outlives
        // the warm-up and measures the cold start, not a running replica.
        boolean ramp = record == null;
        long end = start + TimeUnit.SECONDS.toNanos(secs);
        long n = (long) secs * rate;
        long due = start;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        URI uri = URI.create(gateway + path);
        for (long i = 0; ramp ? due < end : i < n; i++) {
            due += ramp ? (long) (interval / (0.1 + 0.9 * (due - start) / (end - start))) : interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (api) {
                b.header("Authorization", "Bearer " + tokens.user(users.get((int) (i % users.size()))));
            }
            if (noCache) {
                b.header("Cache-Control", "no-cache");
            }
            long scheduled = due;
            pending.add(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                long micros = (System.nanoTime() - scheduled) / 1000;
                if (record != null) {
                    if (e != null || r.statusCode() != 200) {
                        ((AtomicLong) record[1]).incrementAndGet();
                        if (((AtomicLong) record[1]).get() <= 3) {
                            System.err.println("[bench] " + path + ": " + (e != null ? e : "HTTP " + r.statusCode()));
                        }
                    } else {
                        ((List<Long>) record[0]).add(micros);
                    }
                }
            }));
        }
        for (CompletableFuture<?> f : pending) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // counted as an error above
            }
        }
    }

    /** The path of a {@code --paths} entry, without its {@code no-cache:} prefix. */
    private static String path(String entry) {
        return entry.startsWith(NO_CACHE) ? entry.substring(NO_CACHE.length()) : entry;
    }

    private static long p(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
