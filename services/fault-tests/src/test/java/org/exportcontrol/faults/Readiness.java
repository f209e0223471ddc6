package org.exportcontrol.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls one service's readiness ({@code /q/health/ready}) every 100 ms and keeps every change:
 * UP (200), DOWN (503, or no answer within a second).
 */
final class Readiness implements AutoCloseable {

    record Change(long atMillis, boolean up, String detail) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    final String service;
    final List<Change> changes = new CopyOnWriteArrayList<>();
    private final URI uri;
    private final Thread poller;
    private volatile boolean running = true;

    Readiness(String service, int port) {
        this.service = service;
        this.uri = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        this.poller = new Thread(this::poll, "readiness-" + service);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        Boolean last = null;
        while (running) {
            boolean up;
            String detail;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                up = r.statusCode() == 200;
                detail = r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
            } catch (Exception e) {
                up = false;
                detail = e.getClass().getSimpleName();
            }
            if (last == null || last != up) {
                changes.add(new Change(System.currentTimeMillis(), up, detail));
                last = up;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    boolean wentDownAfter(long millis) {
        return changes.stream().anyMatch(c -> !c.up() && c.atMillis() >= millis);
    }

    boolean upNow() {
        return !changes.isEmpty() && changes.get(changes.size() - 1).up();
    }

    /** Milliseconds from the first DOWN after {@code millis} to the UP after it, or -1. */
    long downFor(long millis) {
        Change down = changes.stream().filter(c -> !c.up() && c.atMillis() >= millis).findFirst().orElse(null);
        if (down == null) {
            return -1;
        }
        return changes.stream().filter(c -> c.up() && c.atMillis() > down.atMillis()).findFirst()
                .map(c -> c.atMillis() - down.atMillis()).orElse(-1L);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join(2_000);
    }
}
