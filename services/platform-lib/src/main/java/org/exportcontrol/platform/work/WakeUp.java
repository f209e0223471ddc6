package org.exportcontrol.platform.work;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Wakes a worker right after another transaction commits work for it, in any replica: the writer
 * commits a {@code NOTIFY <channel>} with the work, and this LISTENs on the service's own
 * database. A poll timer backs it up (and picks up retries that fall due). Close it at shutdown.
 */
public final class WakeUp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WakeUp.class);

    private final Vertx vertx;
    private final PgSubscriber subscriber;
    private final long timerId;

    private WakeUp(Vertx vertx, PgSubscriber subscriber, long timerId) {
        this.vertx = vertx;
        this.subscriber = subscriber;
        this.timerId = timerId;
    }

    /** Listens on {@code channel} of the service's database and polls every {@code poll}; calls {@code wake} on either. */
    public static WakeUp listen(Vertx vertx, String channel, Duration poll, Runnable wake) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connectOptions()).reconnectPolicy(retries -> 1000L);
        subscriber.channel(channel).handler(payload -> wake.run());
        subscriber.connect().subscribe().with(ok -> wake.run(),
                failure -> LOG.warnf("cannot LISTEN on %s (%s); polling only", channel, failure.getMessage()));
        long timerId = vertx.setPeriodic(poll.toMillis(), id -> wake.run());
        return new WakeUp(vertx, subscriber, timerId);
    }

    /** Connection options of the service's own database, from the datasource configuration. */
    static PgConnectOptions connectOptions() {
        Config config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class)
                .replaceFirst("^vertx-reactive:", ""))
                .setUser(config.getValue("quarkus.datasource.username", String.class));
        Optional<String> password = config.getOptionalValue("quarkus.datasource.password", String.class);
        password.ifPresent(options::setPassword);
        return options;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timerId);
        subscriber.closeAndForget();
    }
}
