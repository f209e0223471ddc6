package org.exportcontrol.simulator.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Plaintext gRPC channels to the services (gRPC shares each service's HTTP port). The simulator
 * owns them, rather than Quarkus' injected clients, so that a stream can still finish its open
 * chains while the program is being stopped (SIGTERM): they are not closed when the application
 * stops, only when the JVM exits.
 */
@ApplicationScoped
public class Channels {

    @ConfigProperty(name = "simulator.licensing")
    String licensing;
    @ConfigProperty(name = "simulator.reporting")
    String reporting;
    @ConfigProperty(name = "simulator.enforcement")
    String enforcement;

    private final Map<String, ManagedChannel> open = new ConcurrentHashMap<>();

    public ManagedChannel licensing() {
        return channel(licensing);
    }

    public ManagedChannel reporting() {
        return channel(reporting);
    }

    public ManagedChannel enforcement() {
        return channel(enforcement);
    }

    public String describe() {
        return "licensing " + licensing + ", provincial-reporting " + reporting + ", enforcement-coordination "
                + enforcement;
    }

    private ManagedChannel channel(String target) {
        return open.computeIfAbsent(target, t -> ManagedChannelBuilder.forTarget(t).usePlaintext()
                .maxInboundMessageSize(8 * 1024 * 1024).build());
    }

}
