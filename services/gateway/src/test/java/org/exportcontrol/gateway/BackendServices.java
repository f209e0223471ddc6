package org.exportcontrol.gateway;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The four real services behind the gateway, each started from its packaged application (built
 * before the gateway in the reactor) on a free port against its own test database, with their
 * outboxes pointed at each other, so the gateway's tests go through real gRPC calls, real token
 * checks and real data. Started once per test JVM and shared by the gateway's test classes.
 */
public class BackendServices implements QuarkusTestResourceLifecycleManager {

    /** name -> (module directory, database, grpc client name in the gateway) */
    private static final List<String[]> SERVICES = List.of(
            new String[] { "licensing", "licensing_test", "licensing" },
            new String[] { "provincial-reporting", "reporting_test", "reporting" },
            new String[] { "enforcement-coordination", "enforcement_test", "enforcement" },
            new String[] { "notification", "notification_test", "notification" });

    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static final List<Process> PROCESSES = new ArrayList<>();

    @Override
    public synchronized Map<String, String> start() {
        if (PORTS.isEmpty()) {
            for (String[] s : SERVICES) {
                PORTS.put(s[2], freePort());
            }
            for (String[] s : SERVICES) {
                PROCESSES.add(launch(s[0], s[1], PORTS.get(s[2])));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(BackendServices::stopAll));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int i = 0; i < SERVICES.size(); i++) {
                String name = SERVICES.get(i)[0];
                int port = PORTS.get(SERVICES.get(i)[2]);
                while (!ready(port)) {
                    if (!PROCESSES.get(i).isAlive()) {
                        throw new IllegalStateException(name + " stopped while starting; see target/" + name + "-process.log");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + " was not ready within 120 s; see target/" + name + "-process.log");
                    }
                    sleep(200);
                }
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        PORTS.forEach((client, port) -> {
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            config.put("quarkus.grpc.clients." + client + ".port", port.toString());
            config.put("quarkus.grpc.clients." + client + ".test-port", port.toString());
        });
        return config;
    }

    private static Process launch(String module, String database, int port) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(module + " is not packaged at " + jar + "; build the reactor (mvn install)");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        Map<String, String> env = builder.environment();
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("DB_NAME", database);
        env.put("LICENSING_GRPC_PORT", PORTS.get("licensing").toString());
        env.put("LICENSING_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("licensing"));
        env.put("ENFORCEMENT_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("enforcement"));
        env.put("NOTIFICATION_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("notification"));
        File log = Path.of("target", module + "-process.log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ready(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the shutdown hook stops them at the end
    }

    static void stopAll() {
        for (Process p : PROCESSES) {
            p.destroy();
        }
        for (Process p : PROCESSES) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
