package org.exportcontrol.platform.idempotency;

import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.hibernate.exception.ConstraintViolationException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Request-id idempotency for every mutating RPC: the work and the record of its answer commit in
 * one transaction; a repeat of the same (caller, operation, request id) returns the first answer
 * without doing anything; the same id with a different request is refused (REQUEST_ID_REUSED).
 * Two concurrent first calls race on the primary key; the loser gets the winner's answer.
 * Outbox receivers use the same mechanism with the message id as request id, so they drop
 * duplicates by message id.
 */
@ApplicationScoped
public class Idempotency {

    /**
     * Runs {@code work} once for this request id, inside a transaction it opens (or joins).
     *
     * @param caller    who asks (the token subject): ids are unique per caller
     * @param operation a stable operation name, e.g. "licence.suspend"
     */
    public <R extends Message> Uni<Result<R>> once(String caller, String operation, String requestId, Message request,
            Parser<R> responseParser, Supplier<Uni<R>> work) {
        String digest = Digests.sha256Hex(request);
        IdempotentRequestEntity.Key key = new IdempotentRequestEntity.Key(caller, operation, requestId);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .find(IdempotentRequestEntity.class, key)
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(replay(existing, digest, responseParser));
                    }
                    return work.get().flatMap(response -> {
                        IdempotentRequestEntity record = new IdempotentRequestEntity();
                        record.caller = caller;
                        record.operation = operation;
                        record.requestId = requestId;
                        record.requestDigest = digest;
                        record.response = response.toByteArray();
                        record.createdAt = Instant.now();
                        return session.persist(record).call(session::flush)
                                .replaceWith(new Result<>(response, false));
                    });
                })))
                .onFailure(Idempotency::isDuplicateKey).recoverWithUni(failure -> Panache.withSession(
                        () -> Panache.getSession().flatMap(s -> s.find(IdempotentRequestEntity.class, key))
                                .flatMap(existing -> existing == null
                                        // another constraint failed: not a race on this request id
                                        ? Uni.createFrom().<Result<R>>failure(failure)
                                        : Uni.createFrom().item(replay(existing, digest, responseParser)))));
    }

    private static <R extends Message> Result<R> replay(IdempotentRequestEntity existing, String digest,
            Parser<R> parser) {
        if (!existing.requestDigest.equals(digest)) {
            throw ApiErrors.failedPrecondition("REQUEST_ID_REUSED",
                    "request id " + existing.requestId + " was already used for a different request");
        }
        try {
            return new Result<>(parser.parseFrom(existing.response), true);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored answer of request " + existing.requestId + " is unreadable", e);
        }
    }

    static boolean isDuplicateKey(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConstraintViolationException) {
                return true;
            }
            if (c.getMessage() != null && c.getMessage().contains("idempotent_request_pkey")) {
                return true;
            }
        }
        return false;
    }

    /** The answer, and whether it is a replay of an earlier call. */
    public record Result<R>(R response, boolean replayed) {
    }
}
