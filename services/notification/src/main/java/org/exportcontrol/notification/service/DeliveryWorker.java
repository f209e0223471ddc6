package org.exportcontrol.notification.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.platform.work.DrainLoop;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers what Notify accepted, from the database: it claims due deliveries with
 * {@code FOR UPDATE SKIP LOCKED} (replicas share the work, none sends a delivery twice at the
 * same time), performs them, and records each outcome in the same transaction. RESOLVE finds
 * the recipients in the realm, fills their inboxes and queues one EMAIL per person; EMAIL sends
 * over SMTP; WEBHOOK POSTs the signed JSON. A failure is retried with exponential backoff; after
 * {@code notification.delivery.max-attempts} the delivery is DEAD (a dead letter, listed by
 * DeliveryService.ListDeadLetters and counted in {@code notification_dead_letters_total}).
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT_DUE = """
            select d.id, d.notification_id, d.kind, d.recipient, d.address, d.attempts,
                   n.sender, n.category, n.title, n.body, n.link, n.priority, n.jurisdiction, n.channels,
                   n.request, n.created_at, n.ack_deadline, n.escalation_of, w.secret, w.deleted_at
              from delivery d join notification n on n.id = d.notification_id
              left join webhook w on d.kind = 'WEBHOOK' and w.id::text = d.recipient
             where d.state = 'PENDING' and d.next_attempt_at <= now()
             order by d.next_attempt_at, d.id limit $1
             for update of d skip locked""";

    @Inject
    Pool pool;
    @Inject
    RecipientResolver resolver;
    @Inject
    ReactiveMailer mailer;
    @Inject
    DeliveryMetrics metrics;

    @ConfigProperty(name = "notification.worker.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "notification.worker.batch-size", defaultValue = "50")
    int batchSize;
    @ConfigProperty(name = "notification.delivery.max-attempts", defaultValue = "10")
    int maxAttempts;
    @ConfigProperty(name = "notification.delivery.backoff", defaultValue = "1s")
    Duration backoff;
    @ConfigProperty(name = "notification.delivery.max-backoff", defaultValue = "15m")
    Duration maxBackoff;
    @ConfigProperty(name = "notification.webhook.timeout", defaultValue = "10s")
    Duration webhookTimeout;
    @ConfigProperty(name = "notification.gateway-url", defaultValue = "http://127.0.0.1:8080")
    String gatewayUrl;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private DrainLoop loop;

    /** Asks for a drain (if the worker is enabled); concurrent asks coalesce into at most one more pass. */
    public void nudge() {
        if (enabled) {
            drainLoop().nudge();
        }
    }

    private synchronized DrainLoop drainLoop() {
        if (loop == null) {
            loop = new DrainLoop("delivery", batchSize, this::drainOnce);
        }
        return loop;
    }

    /**
     * Drains until nothing is due (for operators' tools and tests that run with the worker
     * switched off): returns the number of deliveries attempted.
     */
    public Uni<Integer> drainUntilIdle() {
        return drainOnce().flatMap(n -> n == 0 ? Uni.createFrom().item(0) : drainUntilIdle().map(m -> n + m));
    }

    /** Claims a batch of due deliveries, performs them, records the outcomes; returns the batch size. */
    Uni<Integer> drainOnce() {
        return pool.withTransaction(conn -> conn.preparedQuery(SELECT_DUE).execute(Tuple.of(batchSize))
                .flatMap(rows -> {
                    List<Uni<Outcome>> attempts = new ArrayList<>();
                    for (Row row : rows) {
                        attempts.add(attempt(new Due(row)));
                    }
                    if (attempts.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(attempts).andFailFast()
                            .flatMap(outcomes -> record(conn, outcomes).replaceWith(outcomes.size()));
                }));
    }

    private Uni<Outcome> attempt(Due d) {
        Uni<Outcome> work = switch (d.kind) {
            case "RESOLVE" -> resolve(d);
            case "EMAIL" -> email(d);
            case "WEBHOOK" -> webhook(d);
            default -> Uni.createFrom().item(Outcome.failed(d, "unknown delivery kind " + d.kind));
        };
        return work.onFailure().recoverWithItem(t -> Outcome.failed(d, t.getClass().getSimpleName() + ": " + t.getMessage()));
    }

    private Uni<Outcome> resolve(Due d) {
        NotifyRequest request;
        try {
            request = NotifyRequest.parseFrom(d.request);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return Uni.createFrom().item(Outcome.failed(d, "stored request is unreadable"));
        }
        return Uni.createFrom().item(() -> resolver.resolve(request.getRecipientsList()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(people -> Outcome.resolved(d, people));
    }

    private Uni<Outcome> email(Due d) {
        String subject = switch (d.priority) {
            case "PRIORITY_URGENT" -> "[URGENT] " + d.title;
            case "PRIORITY_HIGH" -> "[HIGH] " + d.title;
            default -> d.title;
        };
        StringBuilder text = new StringBuilder(d.body);
        if (!d.link.isEmpty()) {
            text.append("\n\n").append(gatewayUrl).append(d.link);
        }
        Jurisdiction jurisdiction = Jurisdiction.of(d.jurisdiction);
        text.append("\n\n--\n").append(jurisdiction.displayName()).append(" (").append(jurisdiction.code())
                .append(") - ").append(d.category).append(" - notification ").append(d.notificationId);
        if (d.ackDeadline != null) {
            text.append("\nPlease acknowledge in your inbox by ").append(d.ackDeadline).append('.');
        }
        Mail mail = Mail.withText(d.address, subject, text.toString())
                .addHeader("X-ExportControl-Notification", d.notificationId.toString());
        return mailer.send(mail).replaceWith(() -> Outcome.delivered(d));
    }

    private Uni<Outcome> webhook(Due d) {
        if (d.webhookSecret == null || d.webhookDeleted) {
            return Uni.createFrom().item(Outcome.skipped(d, "webhook deleted; not sent"));
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload(d));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(Outcome.failed(d, "cannot write the payload: " + e.getMessage()));
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(d.address))
                    .timeout(webhookTimeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "exportcontrol-notification/1")
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(d.webhookSecret, timestamp, body))
                    .header(WebhookSignature.DELIVERY_HEADER, Long.toString(d.id))
                    .header(WebhookSignature.EVENT_HEADER, d.category)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Outcome.failed(d, "bad webhook URL: " + e.getMessage()));
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> response.statusCode() / 100 == 2 ? Outcome.delivered(d)
                        : Outcome.failed(d, "HTTP " + response.statusCode()));
    }

    private static Map<String, Object> payload(Due d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("delivery_id", Long.toString(d.id));
        p.put("notification_id", d.notificationId.toString());
        p.put("sender", d.sender);
        p.put("category", d.category);
        p.put("priority", d.priority);
        p.put("jurisdiction", d.jurisdiction);
        p.put("title", d.title);
        p.put("body", d.body);
        p.put("link", d.link);
        p.put("created_at", d.createdAt.toString());
        if (d.ackDeadline != null) {
            p.put("acknowledgement_deadline", d.ackDeadline.toString());
        }
        if (d.escalationOf != null) {
            p.put("escalation_of", d.escalationOf.toString());
        }
        return p;
    }

    private Uni<Void> record(SqlConnection conn, List<Outcome> outcomes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Outcome o : outcomes) {
            chain = chain.chain(() -> record(conn, o));
        }
        return chain;
    }

    private Uni<Void> record(SqlConnection conn, Outcome o) {
        Due d = o.due;
        if (o.error == null) {
            Uni<Void> extra = o.people == null ? Uni.createFrom().voidItem() : fanOut(conn, d, o.people);
            return extra.chain(() -> conn.preparedQuery("update delivery set state = 'DELIVERED', delivered_at = now(),"
                    + " attempts = attempts + 1, last_error = $2 where id = $1").execute(Tuple.of(d.id, o.note)))
                    .invoke(() -> {
                        if (!d.kind.equals("RESOLVE") && o.note == null) {
                            metrics.delivered(d.kind.toLowerCase(java.util.Locale.ROOT), d.createdAt);
                        }
                    }).replaceWithVoid();
        }
        int attempts = d.attempts + 1;
        if (attempts >= maxAttempts) {
            LOG.warnf("delivery %d (%s of notification %s to %s) is dead after %d attempts: %s", d.id, d.kind,
                    d.notificationId, d.address.isEmpty() ? "its recipients" : d.address, attempts, o.error);
            return conn.preparedQuery("update delivery set state = 'DEAD', dead_at = now(), attempts = $2,"
                    + " last_error = $3 where id = $1").execute(Tuple.of(d.id, attempts, truncate(o.error)))
                    .invoke(() -> metrics.deadLetter(channelOf(d.kind))).replaceWithVoid();
        }
        long delay = backoffMillis(attempts);
        LOG.debugf("delivery %d (%s) failed (attempt %d), next in %d ms: %s", d.id, d.kind, attempts, delay, o.error);
        return conn.preparedQuery("update delivery set attempts = $2, next_attempt_at = now() + $3 * interval '1 millisecond',"
                + " last_error = $4 where id = $1").execute(Tuple.of(d.id, attempts, delay, truncate(o.error)))
                .replaceWithVoid();
    }

    /** The recipients found: inbox rows (if the inbox is a channel) and one EMAIL delivery per address. */
    private Uni<Void> fanOut(SqlConnection conn, Due d, List<RecipientResolver.Person> people) {
        if (people.isEmpty()) {
            LOG.warnf("notification %s (%s) reached nobody: no user in the realm matches its recipients",
                    d.notificationId, d.category);
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (d.channels.contains(Channel.CHANNEL_INBOX.name())) {
            List<Tuple> rows = people.stream().map(p -> Tuple.of(d.notificationId, p.username(), p.email())).toList();
            chain = chain.chain(() -> conn.preparedQuery("insert into inbox_item (notification_id, username, email,"
                    + " delivered_at) values ($1, $2, $3, now()) on conflict do nothing").executeBatch(rows))
                    .invoke(() -> people.forEach(p -> metrics.delivered("inbox", d.createdAt))).replaceWithVoid();
        }
        if (d.channels.contains(Channel.CHANNEL_EMAIL.name())) {
            List<Tuple> rows = people.stream().filter(p -> p.email() != null)
                    .map(p -> Tuple.of(d.notificationId, p.username(), p.email())).toList();
            if (!rows.isEmpty()) {
                // the e-mails queued here are sent by the next pass (a nudge while a pass runs asks for one more)
            chain = chain.chain(() -> conn.preparedQuery("insert into delivery (notification_id, kind, recipient,"
                        + " address, next_attempt_at, created_at) values ($1, 'EMAIL', $2, $3, now(), now())"
                        + " on conflict do nothing").executeBatch(rows)).invoke(this::nudge).replaceWithVoid();
            }
        }
        return chain;
    }

    long backoffMillis(int attempts) {
        long base = Math.max(1, backoff.toMillis());
        long delay = attempts >= 30 ? Long.MAX_VALUE : base << Math.max(0, attempts - 1);
        return Math.min(maxBackoff.toMillis(), delay < 0 ? Long.MAX_VALUE : delay);
    }

    private static String channelOf(String kind) {
        return switch (kind) {
            case "EMAIL" -> "email";
            case "WEBHOOK" -> "webhook";
            default -> "inbox";
        };
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    /** A claimed delivery with what it needs from its notification. */
    private static final class Due {
        final long id;
        final UUID notificationId;
        final String kind;
        final String recipient;
        final String address;
        final int attempts;
        final String sender;
        final String category;
        final String title;
        final String body;
        final String link;
        final String priority;
        final String jurisdiction;
        final String channels;
        final byte[] request;
        final Instant createdAt;
        final Instant ackDeadline;
        final UUID escalationOf;
        final String webhookSecret;
        final boolean webhookDeleted;

        Due(Row row) {
            id = row.getLong("id");
            notificationId = row.getUUID("notification_id");
            kind = row.getString("kind");
            recipient = row.getString("recipient");
            address = row.getString("address");
            attempts = row.getInteger("attempts");
            sender = row.getString("sender");
            category = row.getString("category");
            title = row.getString("title");
            body = row.getString("body");
            link = row.getString("link");
            priority = row.getString("priority");
            jurisdiction = row.getString("jurisdiction");
            channels = row.getString("channels");
            request = row.getBuffer("request").getBytes();
            createdAt = row.getOffsetDateTime("created_at").toInstant();
            ackDeadline = Optional.ofNullable(row.getOffsetDateTime("ack_deadline")).map(t -> t.toInstant()).orElse(null);
            escalationOf = row.getUUID("escalation_of");
            webhookSecret = row.getString("secret");
            webhookDeleted = row.getOffsetDateTime("deleted_at") != null;
        }
    }

    private record Outcome(Due due, String error, String note, List<RecipientResolver.Person> people) {
        static Outcome delivered(Due d) {
            return new Outcome(d, null, null, null);
        }

        static Outcome skipped(Due d, String note) {
            return new Outcome(d, null, note, null);
        }

        static Outcome resolved(Due d, List<RecipientResolver.Person> people) {
            return new Outcome(d, null, people.isEmpty() ? "no recipient found in the realm" : null, people);
        }

        static Outcome failed(Due d, String error) {
            return new Outcome(d, error, null, null);
        }
    }
}
