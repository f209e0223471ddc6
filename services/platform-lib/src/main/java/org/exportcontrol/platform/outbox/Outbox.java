package org.exportcontrol.platform.outbox;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.protobuf.Message;

import io.grpc.MethodDescriptor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The sending side of the transactional outbox. {@link #enqueue} joins the caller's transaction:
 * the message commits with the state change that causes it, or not at all. A NOTIFY in the same
 * transaction wakes the {@link OutboxRelay} (of every replica) right after the commit.
 */
@ApplicationScoped
public class Outbox {

    /** The PostgreSQL channel the relay listens on. */
    public static final String CHANNEL = "platform_outbox";

    @Inject
    OutboxDestinations destinations;

    /**
     * Queues one gRPC call for delivery.
     *
     * @param destination   a configured destination name, e.g. "enforcement"
     * @param method        the unary method to call, e.g. {@code SignalServiceGrpc.getRaiseSignalMethod()}
     * @param requestForId  builds the request with the given message id as its request_id
     * @return the message id
     */
    @WithTransaction
    public <Q extends Message> Uni<UUID> enqueue(String destination, MethodDescriptor<Q, ?> method,
            Function<String, Q> requestForId) {
        destinations.require(destination);
        UUID id = UUID.randomUUID();
        OutboxMessageEntity message = new OutboxMessageEntity();
        message.id = id;
        message.destination = destination;
        message.method = method.getFullMethodName();
        message.payload = requestForId.apply(id.toString()).toByteArray();
        message.createdAt = Instant.now();
        message.attempts = 0;
        message.nextAttemptAt = message.createdAt;
        return Panache.getSession().flatMap(session -> session.persist(message)
                .call(() -> session.createNativeQuery("NOTIFY " + CHANNEL).executeUpdate()))
                .replaceWith(id);
    }

    /**
     * The same for code that works on a reactive SQL connection inside its own transaction
     * (high-volume paths that bypass Hibernate): the messages commit with that transaction.
     */
    public <Q extends Message> Uni<Void> enqueue(io.vertx.mutiny.sqlclient.SqlConnection connection, String destination,
            MethodDescriptor<Q, ?> method, java.util.List<Function<String, Q>> requestsForIds) {
        if (requestsForIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        destinations.require(destination);
        java.util.List<io.vertx.mutiny.sqlclient.Tuple> rows = new java.util.ArrayList<>();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        for (Function<String, Q> requestForId : requestsForIds) {
            UUID id = UUID.randomUUID();
            rows.add(io.vertx.mutiny.sqlclient.Tuple.of(id, destination, method.getFullMethodName(),
                    io.vertx.core.buffer.Buffer.buffer(requestForId.apply(id.toString()).toByteArray()), now));
        }
        return connection.preparedQuery("insert into outbox_message (id, destination, method, payload, created_at,"
                + " attempts, next_attempt_at) values ($1, $2, $3, $4, $5, 0, $5)").executeBatch(rows)
                .chain(() -> connection.query("NOTIFY " + CHANNEL).execute())
                .replaceWithVoid();
    }
}
