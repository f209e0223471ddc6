package org.exportcontrol.notification.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.Notification;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.SubscribeResponse;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The provincial systems' subscriptions. Each subscription reads the jurisdiction's stream
 * events after its cursor, in sequence order, and is woken when new ones commit
 * ({@link WorkSignal}). Stream events are inserted under a transaction-level advisory lock, so
 * their sequence order is their commit order and no event can appear behind a cursor already
 * passed: a system that resumes after its last cursor gets every later event exactly once.
 */
@ApplicationScoped
public class StreamHub {

    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    private static final int BATCH = 100;
    private static final String CURSOR_PREFIX = "stream:";
    private static final String SELECT = """
            select e.sequence, n.id, n.sender, n.category, n.title, n.body, n.link, n.priority, n.jurisdiction,
                   n.created_at, n.ack_deadline, n.escalation_of
              from stream_event e join notification n on n.id = e.notification_id
             where e.jurisdiction = $1 and e.sequence > $2
             order by e.sequence limit $3""";

    @Inject
    Pool pool;
    @Inject
    DeliveryMetrics metrics;

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    /** The events of {@code jurisdiction} after {@code after}, then live ones, until the client goes. */
    public Multi<SubscribeResponse> subscribe(String jurisdiction, long after) {
        return Multi.createFrom().emitter(emitter -> {
            Subscription s = new Subscription(jurisdiction, after, emitter);
            subscriptions.add(s);
            emitter.onTermination(() -> subscriptions.remove(s));
            // read only what the client asked for; more demand wakes the subscription again
            emitter.onRequest(n -> s.nudge());
            s.nudge();
        }, BackPressureStrategy.BUFFER);
    }

    public void nudgeAll() {
        subscriptions.forEach(Subscription::nudge);
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    public static String cursor(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence a cursor names (0 for an empty cursor); INVALID_ARGUMENT for anything else. */
    public static long sequence(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                long sequence = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
                if (sequence >= 0) {
                    return sequence;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // falls through
        }
        throw ApiErrors.invalidArgument("cursor", "is not a cursor of this stream");
    }

    private final class Subscription {
        private final String jurisdiction;
        private final MultiEmitter<? super SubscribeResponse> emitter;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean again = new AtomicBoolean();
        private volatile long last;

        Subscription(String jurisdiction, long after, MultiEmitter<? super SubscribeResponse> emitter) {
            this.jurisdiction = jurisdiction;
            this.last = after;
            this.emitter = emitter;
        }

        void nudge() {
            again.set(true);
            if (running.compareAndSet(false, true)) {
                loop();
            }
        }

        private void loop() {
            again.set(false);
            fetch().subscribe().with(count -> {
                if (!emitter.isCancelled() && (count >= BATCH || again.get())) {
                    loop();
                } else {
                    running.set(false);
                    if (again.get() && !emitter.isCancelled() && running.compareAndSet(false, true)) {
                        loop();
                    }
                }
            }, failure -> {
                LOG.warnf("stream read for %s failed, retrying on the next wake-up: %s", jurisdiction, failure.toString());
                running.set(false);
            });
        }

        private Uni<Integer> fetch() {
            long demand = emitter.requested();
            if (emitter.isCancelled() || demand <= 0) {
                return Uni.createFrom().item(0);
            }
            return pool.preparedQuery(SELECT).execute(Tuple.of(jurisdiction, last, (int) Math.min(BATCH, demand))).map(rows -> {
                int n = 0;
                for (Row row : rows) {
                    if (emitter.isCancelled()) {
                        break;
                    }
                    long sequence = row.getLong("sequence");
                    Instant created = row.getOffsetDateTime("created_at").toInstant();
                    emitter.emit(SubscribeResponse.newBuilder().setCursor(cursor(sequence))
                            .setNotification(notification(row, created)).build());
                    last = sequence;
                    metrics.delivered("stream", created);
                    n++;
                }
                return n;
            });
        }
    }

    private static Notification notification(Row row, Instant created) {
        Notification.Builder b = Notification.newBuilder()
                .setId(row.getUUID("id").toString()).setSender(row.getString("sender"))
                .setCategory(row.getString("category")).setTitle(row.getString("title"))
                .setBody(row.getString("body")).setLink(row.getString("link"))
                .setPriority(Priority.valueOf(row.getString("priority")))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(row.getString("jurisdiction")))
                .setCreatedAt(Timestamps.of(created));
        OffsetDateTime deadline = row.getOffsetDateTime("ack_deadline");
        if (deadline != null) {
            b.setAcknowledgementDeadline(Timestamps.of(deadline.toInstant()));
        }
        if (row.getUUID("escalation_of") != null) {
            b.setEscalationOf(row.getUUID("escalation_of").toString());
        }
        return b.build();
    }
}
