package org.exportcontrol.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.exportcontrol.platform.testing.PackagedService;
import org.exportcontrol.platform.testing.TestDatabase;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The four real services behind the gateway, each started from its packaged application (built
 * before the gateway in the reactor) on a free port against its own test database, with their
 * outboxes pointed at each other, so the gateway's tests go through real gRPC calls, real token
 * checks and real data. Started once per test JVM and shared by the gateway's test classes.
 */
public class BackendServices implements QuarkusTestResourceLifecycleManager {

    /** module directory, test database, gRPC client name in the gateway */
    private record Backend(String module, String database, String client) {
    }

    /**
     * The databases' suffix: {@code _test} (the test command), or another set made by
     * {@code EC_DB_SUFFIX=<suffix> deploy/local/postgres.sh ensure}, given as
     * {@code -Dgateway.test.db-suffix=<suffix>}, so that a long run (deploy/local/fuzz.sh) never
     * shares its databases with a test run beside it.
     */
    static final String DB_SUFFIX = System.getProperty("gateway.test.db-suffix", "_test");

    private static final List<Backend> SERVICES = List.of(
            new Backend("licensing", "licensing" + DB_SUFFIX, "licensing"),
            new Backend("provincial-reporting", "reporting" + DB_SUFFIX, "reporting"),
            new Backend("enforcement-coordination", "enforcement" + DB_SUFFIX, "enforcement"),
            new Backend("notification", "notification" + DB_SUFFIX, "notification"));

    /** The gateway's own database. */
    static final String GATEWAY_DB = "gateway" + DB_SUFFIX;

    /** gRPC client name -> port */
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    /** The gateway's own port, fixed before it starts so that the services can push audit heads to it. */
    static int gatewayPort;
    /** How often every service pushes its audit chain head to the others during the tests. */
    static final String EXCHANGE_INTERVAL = "1s";
    private static final List<PackagedService> RUNNING = new ArrayList<>();

    @Override
    public synchronized Map<String, String> start() {
        if (PORTS.isEmpty()) {
            SERVICES.forEach(s -> PORTS.put(s.client(), PackagedService.freePort()));
            gatewayPort = PackagedService.freePort();
            forgetPeerHeads();
            Map<String, String> peers = Map.of(
                    "LICENSING_GRPC_PORT", PORTS.get("licensing").toString(),
                    "LICENSING_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("licensing"),
                    "REPORTING_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("reporting"),
                    "ENFORCEMENT_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("enforcement"),
                    "NOTIFICATION_GRPC_ADDRESS", "127.0.0.1:" + PORTS.get("notification"),
                    "GATEWAY_GRPC_ADDRESS", "127.0.0.1:" + gatewayPort,
                    "AUDIT_EXCHANGE_INTERVAL", EXCHANGE_INTERVAL);
            // all four start at once, then each is awaited
            SERVICES.forEach(s -> RUNNING.add(PackagedService.launch(s.module(), PORTS.get(s.client()), s.database(), peers)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PackagedService::stop)));
            RUNNING.forEach(service -> service.awaitReady(120));
        }
        Map<String, String> config = new LinkedHashMap<>();
        PORTS.forEach((client, port) -> {
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            config.put("quarkus.grpc.clients." + client + ".port", port.toString());
            config.put("quarkus.grpc.clients." + client + ".test-port", port.toString());
        });
        config.put("quarkus.http.test-port", Integer.toString(gatewayPort));
        config.put("%test.platform.db.name", GATEWAY_DB);
        // the gateway exchanges audit heads with the four (its own tests otherwise run without peers)
        config.put("%test.platform.audit.exchange.enabled", "true");
        config.put("platform.audit.exchange.enabled", "true");
        config.put("platform.audit.exchange.interval", EXCHANGE_INTERVAL);
        config.put("platform.audit.peers.licensing", "127.0.0.1:" + PORTS.get("licensing"));
        config.put("platform.audit.peers.provincial-reporting", "127.0.0.1:" + PORTS.get("reporting"));
        config.put("platform.audit.peers.enforcement-coordination", "127.0.0.1:" + PORTS.get("enforcement"));
        config.put("platform.audit.peers.notification", "127.0.0.1:" + PORTS.get("notification"));
        return config;
    }

    /**
     * Heads recorded in an earlier run describe chains that the services' own suites have since
     * started again (they empty their tables): held against the chains of this run they would
     * rightly contradict them. Each run starts with no peer-held heads.
     */
    private static void forgetPeerHeads() {
        List<String> databases = new ArrayList<>(SERVICES.stream().map(Backend::database).toList());
        databases.add(GATEWAY_DB);
        for (String database : databases) {
            // (a database not yet migrated has no such table)
            TestDatabase.executeIn(database, "do $$ begin if to_regclass('peer_chain_head') is not null then"
                    + " truncate peer_chain_head; end if; end $$");
        }
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the shutdown hook stops them at the end
    }
}
