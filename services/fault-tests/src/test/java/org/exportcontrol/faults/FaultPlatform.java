package org.exportcontrol.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform as {@code deploy/local/platform.sh} runs it, started once for all faults, and
 * the run scripts that inject them: {@code platform.sh kill|start-service} (one service),
 * {@code postgres.sh restart} and {@code keycloak.sh stop|start}. Its own work dir, its own
 * databases ({@code _faults}, emptied first) and a Keycloak of its own (port 8191), so that
 * stopping it touches no other test.
 */
final class FaultPlatform {

    static final Path REPO = Path.of(System.getProperty("faults.repo.root", "../..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("faults.work.dir", "target/platform")).toAbsolutePath().normalize();
    static final String KEYCLOAK_PORT = System.getProperty("faults.keycloak.port", "8191");
    static final String KEYCLOAK_MANAGEMENT_PORT = System.getProperty("faults.keycloak.management.port", "9191");
    static final String GATEWAY = "http://127.0.0.1:8080";
    static final String MAIL_API = "http://127.0.0.1:8025";
    /** The services and their HTTP (and gRPC) ports. */
    static final Map<String, Integer> PORTS = Map.of("licensing", 8081, "provincial-reporting", 8082,
            "enforcement-coordination", 8083, "notification", 8084, "gateway", 8080);

    private static boolean started;

    private FaultPlatform() {
    }

    static synchronized void start() throws Exception {
        for (String module : List.of("licensing", "provincial-reporting", "enforcement-coordination", "notification",
                "gateway", "province-simulator")) {
            Path jar = REPO.resolve("services").resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(module + " is not packaged (" + REPO.relativize(jar)
                        + " is missing): run the fault tests in the full build (deploy/local/test.sh), which packages"
                        + " every service before them");
            }
        }
        Files.createDirectories(WORK);
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(FaultPlatform::stopQuietly, "platform-stop"));
        script("platform.sh", List.of("start"), 480);
    }

    static synchronized void stop() throws Exception {
        if (started) {
            started = false;
            script("platform.sh", List.of("stop"), 180);
        }
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("[faults] platform.sh stop failed: " + e.getMessage());
        }
    }

    /** kill -9 of one service, as a crash would. */
    static void kill(String service) throws Exception {
        script("platform.sh", List.of("kill", service), 30);
    }

    /** Starts one service again and waits until it is ready; returns the seconds it took. */
    static double startService(String service) throws Exception {
        return script("platform.sh", List.of("start-service", service), 150);
    }

    /** Restarts the local PostgreSQL cluster (every connection cut); returns when it accepts connections. */
    static double restartPostgres() throws Exception {
        return script("postgres.sh", List.of("restart"), 90);
    }

    /** Starts PostgreSQL if it is down (after a failed restart): it is shared, it must never stay down. */
    static void ensurePostgres() throws Exception {
        script("postgres.sh", List.of("ensure"), 90);
    }

    static double keycloak(String command) throws Exception {
        return script("keycloak.sh", List.of(command), 240);
    }

    /** Runs one of deploy/local's scripts with this run's environment; returns the seconds it took. */
    private static double script(String name, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        String label = name + " " + String.join(" ", args);
        Path log = WORK.resolve("script-" + name.replace(".sh", "") + "-" + String.join("-", args) + ".log");
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(REPO.resolve("deploy/local").resolve(name).toString())))
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.command().addAll(args);
        Map<String, String> env = pb.environment();
        env.put("EC_WORK_DIR", WORK.toString());
        env.put("EC_DB_SUFFIX", "_faults");
        env.put("EC_DB_FRESH", "1");
        env.put("EC_SIM_SCENARIOS", "none");
        env.put("KEYCLOAK_PORT", KEYCLOAK_PORT);
        env.put("KEYCLOAK_MANAGEMENT_PORT", KEYCLOAK_MANAGEMENT_PORT);
        env.put("KEYCLOAK_URL", "http://127.0.0.1:" + KEYCLOAK_PORT);
        env.put("EC_KEYCLOAK_DEMO", "1");
        System.out.println("[faults] deploy/local/" + label + " (log: " + REPO.relativize(log) + ")");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new IllegalStateException(label + " did not finish within " + timeoutSeconds + " s; its log:\n" + tail(log));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"));
        System.out.printf("[faults] %s took %.1f s%n", label, seconds);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(label + " failed (exit " + p.exitValue() + "):\n" + tail(log));
        }
        return seconds;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
