package org.exportcontrol.notification.service;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Wakes the delivery worker and the stream subscriptions: at once in this process after a
 * commit, through PostgreSQL LISTEN/NOTIFY for the other replicas (the NOTIFY commits with the
 * notification), and on a poll timer as the fallback that also picks up retries.
 */
@ApplicationScoped
public class WorkSignal {

    /** The PostgreSQL channel. */
    public static final String CHANNEL = "notification_work";
    private static final Logger LOG = Logger.getLogger(WorkSignal.class);

    @Inject
    Vertx vertx;
    @Inject
    DeliveryWorker worker;
    @Inject
    StreamHub hub;

    @ConfigProperty(name = "notification.worker.poll-interval", defaultValue = "2s")
    Duration pollInterval;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> dbPassword;

    private PgSubscriber subscriber;
    private long timerId = -1;

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl.replaceFirst("^vertx-reactive:", ""))
                .setUser(dbUser);
        dbPassword.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL).handler(payload -> wakeLocal());
        subscriber.connect().subscribe().with(ok -> wakeLocal(),
                failure -> LOG.warnf("notification cannot LISTEN (%s); polling only", failure.getMessage()));
        timerId = vertx.setPeriodic(pollInterval.toMillis(), id -> wakeLocal());
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Wakes this process's worker and subscriptions. */
    public void wakeLocal() {
        worker.nudge();
        hub.nudgeAll();
    }
}
