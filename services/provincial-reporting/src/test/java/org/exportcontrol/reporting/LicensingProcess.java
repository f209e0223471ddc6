package org.exportcontrol.reporting;

import java.util.Map;

import org.exportcontrol.platform.testing.PackagedService;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real licensing service, started from its packaged application (built before this module in
 * the reactor) on a free port against its own test database, so export declarations get real
 * answers from check-and-decrement.
 */
public class LicensingProcess implements QuarkusTestResourceLifecycleManager {

    static volatile int port;
    private PackagedService licensing;

    @Override
    public Map<String, String> start() {
        port = PackagedService.freePort();
        licensing = PackagedService.launch("licensing", port, "licensing_test", Map.of("PLATFORM_OUTBOX_ENABLED", "false"))
                .awaitReady(90);
        return Map.of("quarkus.grpc.clients.licensing.host", "127.0.0.1",
                "quarkus.grpc.clients.licensing.port", Integer.toString(port),
                "quarkus.grpc.clients.licensing.test-port", Integer.toString(port));
    }

    @Override
    public void stop() {
        if (licensing != null) {
            licensing.stop();
        }
    }
}
