package org.exportcontrol.notification;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A small HTTP receiver on a free loopback port that records webhook calls and answers a chosen status. */
final class WebhookReceiver implements AutoCloseable {

    /** One call as received: headers (lower-case names) and the raw body. */
    record Call(Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(204);

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            calls.add(new Call(headers, body));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
