package org.exportcontrol.reporting;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real licensing service, started from its packaged application (built before this module in
 * the reactor) on a free port against its own test database, so export declarations get real
 * answers from check-and-decrement.
 */
public class LicensingProcess implements QuarkusTestResourceLifecycleManager {

    static volatile int port;
    private Process process;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of("..", "licensing", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("licensing is not packaged at " + jar + "; build the reactor (mvn install)");
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        builder.environment().put("HTTP_HOST", "127.0.0.1");
        builder.environment().put("DB_NAME", "licensing_test");
        builder.environment().put("PLATFORM_OUTBOX_ENABLED", "false");
        File log = Path.of("target", "licensing-process.log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        try {
            process = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!ready()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("licensing stopped while starting; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("licensing was not ready within 90 s; see " + log);
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.grpc.clients.licensing.host", "127.0.0.1",
                "quarkus.grpc.clients.licensing.port", Integer.toString(port),
                "quarkus.grpc.clients.licensing.test-port", Integer.toString(port));
    }

    private static boolean ready() {
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

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
