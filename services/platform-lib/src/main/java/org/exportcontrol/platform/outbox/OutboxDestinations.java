package org.exportcontrol.platform.outbox;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where outbox messages go: {@code platform.outbox.destinations.<name>=host:port} (the receiving
 * service's HTTP port, which also carries gRPC).
 */
@ApplicationScoped
public class OutboxDestinations {

    static final String PREFIX = "platform.outbox.destinations.";

    private final Map<String, String> addresses = new TreeMap<>();

    OutboxDestinations() {
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .filter(v -> !v.isBlank())
                        .ifPresent(v -> addresses.put(name.substring(PREFIX.length()), v));
            }
        }
    }

    public Map<String, String> all() {
        return Map.copyOf(addresses);
    }

    public String require(String destination) {
        String address = addresses.get(destination);
        if (address == null) {
            throw new IllegalStateException("outbox destination '" + destination + "' is not configured ("
                    + PREFIX + destination + "=host:port)");
        }
        return address;
    }
}
