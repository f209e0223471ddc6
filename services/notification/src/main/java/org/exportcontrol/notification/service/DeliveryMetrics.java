package org.exportcontrol.notification.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

/**
 * The service's delivery metrics: {@code notification_delivery_latency_seconds} (histogram,
 * tag channel: inbox, email, webhook, stream; from acceptance to delivery) and
 * {@code notification_dead_letters_total} (tag channel).
 */
@ApplicationScoped
public class DeliveryMetrics {

    static final String[] CHANNELS = {"inbox", "email", "webhook", "stream"};

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent event) {
        for (String channel : CHANNELS) {
            timer(channel);
            deadLetters(channel);
        }
    }

    public void delivered(String channel, Instant acceptedAt) {
        Duration latency = Duration.between(acceptedAt, Instant.now());
        timer(channel).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public void deadLetter(String channel) {
        deadLetters(channel).increment();
    }

    private Timer timer(String channel) {
        return Timer.builder("notification.delivery.latency")
                .description("Time from accepting a notification to delivering it, per channel")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    private Counter deadLetters(String channel) {
        return Counter.builder("notification.dead.letters")
                .description("Deliveries given up after the attempt limit, per channel")
                .tag("channel", channel)
                .register(registry);
    }
}
