package org.exportcontrol.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform, started and stopped the way a person runs it: {@code deploy/local/platform.sh
 * start|stop}, with the run's own work dir (logs, pid files) and its own databases
 * ({@code EC_DB_SUFFIX=_e2e}, emptied first), reusing the Keycloak that already answers (the test
 * command's), and with the province simulator's demo data and normal traffic but no seeded
 * violations: the violations this suite checks are its own.
 */
final class Platform {

    static final Path REPO = Path.of(System.getProperty("e2e.repo.root", "../..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("e2e.work.dir", "target/platform")).toAbsolutePath().normalize();
    static final String GATEWAY = "http://127.0.0.1:8080";
    static final String MAIL_API = "http://127.0.0.1:8025";
    static final List<String> SERVICES = List.of("licensing", "provincial-reporting", "enforcement-coordination",
            "notification", "gateway", "province-simulator");

    private static boolean started;

    private Platform() {
    }

    static synchronized void start() throws Exception {
        for (String service : SERVICES) {
            Path jar = REPO.resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(service + " is not packaged (" + REPO.relativize(jar)
                        + " is missing): run the end-to-end test in the full build (deploy/local/test.sh, mvn install), "
                        + "which packages every service before it");
            }
        }
        Files.createDirectories(WORK);
        // stop also after a failed or interrupted start, and if the JVM is ended early
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(Platform::stopQuietly, "platform-stop"));
        run("start", 420);
    }

    static synchronized void stop() throws Exception {
        if (started) {
            started = false;
            run("stop", 180);
        }
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("[e2e] platform.sh stop failed: " + e.getMessage());
        }
    }

    private static void run(String command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = WORK.resolve("platform-" + command + ".log");
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("deploy/local/platform.sh").toString(), command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("EC_WORK_DIR", WORK.toString());
        env.put("EC_DB_SUFFIX", "_e2e");
        env.put("EC_DB_FRESH", "1");
        env.put("EC_SIM_SCENARIOS", "none");
        env.put("KEYCLOAK_PORT", keycloakPort());
        System.out.println("[e2e] deploy/local/platform.sh " + command + " (log: " + REPO.relativize(log) + ")");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new IllegalStateException("platform.sh " + command + " did not finish within " + timeoutSeconds
                    + " s; its log:\n" + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"));
        System.out.printf("[e2e] platform.sh %s took %.1f s%n", command, (System.nanoTime() - t0) / 1e9);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("platform.sh " + command + " failed (exit " + p.exitValue() + "):\n" + tail(log));
        }
    }

    /** The port of the Keycloak the tests' tokens come from (KEYCLOAK_URL), which platform.sh must use too. */
    private static String keycloakPort() {
        String url = System.getenv().getOrDefault("KEYCLOAK_URL", "");
        if (!url.isBlank()) {
            return String.valueOf(URI.create(url).getPort());
        }
        return System.getenv().getOrDefault("KEYCLOAK_PORT", "8180");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
