package org.exportcontrol.notification.service;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import org.exportcontrol.platform.work.WakeUp;
import io.vertx.mutiny.core.Vertx;

/**
 * Wakes the delivery worker and the stream subscriptions: at once in this process after a
 * commit, through PostgreSQL LISTEN/NOTIFY for the other replicas (the NOTIFY commits with the
 * notification), and on a poll timer as the fallback that also picks up retries.
 */
@ApplicationScoped
public class WorkSignal {

    /** The PostgreSQL channel. */
    public static final String CHANNEL = "notification_work";

    @Inject
    Vertx vertx;
    @Inject
    DeliveryWorker worker;
    @Inject
    StreamHub hub;

    @ConfigProperty(name = "notification.worker.poll-interval", defaultValue = "2s")
    Duration pollInterval;

    private WakeUp wakeUp;

    void start(@Observes StartupEvent event) {
        wakeUp = WakeUp.listen(vertx, CHANNEL, pollInterval, this::wakeLocal);
    }

    @PreDestroy
    void stop() {
        if (wakeUp != null) {
            wakeUp.close();
        }
    }

    /** Wakes this process's worker and subscriptions. */
    public void wakeLocal() {
        worker.nudge();
        hub.nudgeAll();
    }
}
