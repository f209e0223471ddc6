package org.exportcontrol.platform.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real platform service started from its packaged application ({@code ../<module>/target/quarkus-app},
 * built before the module under test in the reactor) on a port of its own, for tests that need the
 * real thing on the other end of a gRPC call. Its output goes to {@code target/<module>-process.log}.
 */
public final class PackagedService {

    private final String module;
    private final int port;
    private final Process process;

    private PackagedService(String module, int port, Process process) {
        this.module = module;
        this.port = port;
        this.process = process;
    }

    /** A free TCP port on this machine. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts {@code module} on {@code port} against database {@code database}, with extra environment
     * (e.g. other services' addresses). Does not wait: see {@link #awaitReady}.
     */
    public static PackagedService launch(String module, int port, String database, Map<String, String> environment) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(module + " is not packaged at " + jar + "; build the reactor (mvn install)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        builder.environment().put("HTTP_HOST", "127.0.0.1");
        builder.environment().put("DB_NAME", database);
        builder.environment().putAll(environment);
        File log = Path.of("target", module + "-process.log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        try {
            return new PackagedService(module, port, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module, e);
        }
    }

    public int port() {
        return port;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails naming the log when it stops or times out. */
    public PackagedService awaitReady(long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " stopped while starting; see target/" + module + "-process.log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(module + " was not ready within " + timeoutSeconds + " s; see target/"
                        + module + "-process.log");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return this;
    }

    private boolean ready() {
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

    /** Stops the service (SIGTERM, then SIGKILL after 20 s). */
    public void stop() {
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
