package org.exportcontrol.platform.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

import org.exportcontrol.platform.security.Caller;

/**
 * The service's tamper-evident audit log. {@link #append} joins the caller's transaction, so an
 * entry commits together with the change it records, or not at all. Appends are serialised by a
 * row lock on the chain head; that is fine for people's actions (high-volume chain events are
 * audited per committed batch, with the batch's digest as the subject's after-digest).
 */
@ApplicationScoped
public class AuditLog {

    static final int VERIFY_PAGE = 1000;

    @ConfigProperty(name = "quarkus.application.name")
    String serviceName;

    public String serviceName() {
        return serviceName;
    }

    /** Appends one entry inside the current transaction (or a new one). */
    @WithTransaction
    public Uni<AuditEntryEntity> append(AuditRecord record) {
        return Panache.getSession().flatMap(session -> session
                .find(AuditChainHeadEntity.class, AuditChainHeadEntity.ID, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(head -> {
                    if (head == null) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "audit_chain_head row is missing: the platform migration did not run"));
                    }
                    AuditEntryEntity e = entry(record, head.sequence, head.entryHash);
                    head.sequence = e.sequence;
                    head.entryHash = e.entryHash;
                    return session.persist(e).replaceWith(e);
                }));
    }

    /**
     * Appends one entry on a reactive SQL connection, inside the transaction the caller holds on
     * it (for high-volume paths that bypass Hibernate, such as batches of chain events).
     */
    public Uni<AuditEntryEntity> append(io.vertx.mutiny.sqlclient.SqlConnection connection, AuditRecord record) {
        return connection.query("select sequence, entry_hash from audit_chain_head where id = 1 for update").execute()
                .flatMap(rows -> {
                    var head = rows.iterator().next();
                    AuditEntryEntity e = entry(record, head.getLong("sequence"), head.getString("entry_hash"));
                    return connection.preparedQuery("insert into audit_entry (sequence, actor, actor_kind, on_behalf_of,"
                            + " jurisdiction, action, subject, occurred_at, before_digest, after_digest, request_id,"
                            + " previous_hash, entry_hash, algorithm) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                            + " $11, $12, $13, $14)")
                            .execute(io.vertx.mutiny.sqlclient.Tuple.tuple()
                                    .addLong(e.sequence).addString(e.actor).addString(e.actorKind)
                                    .addString(e.onBehalfOf).addString(e.jurisdiction).addString(e.action)
                                    .addString(e.subject)
                                    .addOffsetDateTime(java.time.OffsetDateTime.ofInstant(e.occurredAt, java.time.ZoneOffset.UTC))
                                    .addString(e.beforeDigest).addString(e.afterDigest).addString(e.requestId)
                                    .addString(e.previousHash).addString(e.entryHash).addString(e.algorithm))
                            .chain(() -> connection.preparedQuery(
                                    "update audit_chain_head set sequence = $1, entry_hash = $2 where id = 1")
                                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(e.sequence, e.entryHash)))
                            .replaceWith(e);
                });
    }

    /** A new entry after the given head, hashed. */
    static AuditEntryEntity entry(AuditRecord record, long headSequence, String headHash) {
        AuditEntryEntity e = new AuditEntryEntity();
        e.sequence = headSequence + 1;
        Caller caller = record.caller();
        e.actor = caller.subject();
        e.actorKind = caller.kind().name();
        e.onBehalfOf = record.onBehalfOf();
        e.jurisdiction = record.jurisdiction().code();
        e.action = record.action();
        e.subject = record.subject();
        e.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        e.beforeDigest = record.beforeDigest();
        e.afterDigest = record.afterDigest();
        e.requestId = record.requestId();
        e.previousHash = headHash;
        e.algorithm = Digests.SHA_256;
        e.entryHash = AuditHasher.hash(e);
        return e;
    }

    /** The current head: last sequence and hash (sequence 0 for an empty chain). */
    @WithSession
    public Uni<AuditChainHeadEntity> head() {
        return Panache.getSession().flatMap(s -> s.find(AuditChainHeadEntity.class, AuditChainHeadEntity.ID));
    }

    /**
     * Entries after {@code afterSequence} that the caller may see: all for national callers,
     * else those of the caller's jurisdiction. Returns up to {@code limit} entries.
     */
    @WithSession
    public Uni<List<AuditEntryEntity>> list(Caller caller, long afterSequence, int limit, String subject) {
        StringBuilder q = new StringBuilder("from AuditEntryEntity where sequence > :after");
        boolean national = caller.jurisdiction().isNational();
        boolean bySubject = subject != null && !subject.isEmpty();
        if (!national) {
            q.append(" and jurisdiction = :jurisdiction");
        }
        if (bySubject) {
            q.append(" and subject = :subject");
        }
        q.append(" order by sequence");
        return Panache.getSession().flatMap(s -> {
            Mutiny.SelectionQuery<AuditEntryEntity> query = s.createSelectionQuery(q.toString(), AuditEntryEntity.class)
                    .setParameter("after", afterSequence);
            if (!national) {
                query.setParameter("jurisdiction", caller.jurisdiction().code());
            }
            if (bySubject) {
                query.setParameter("subject", subject);
            }
            return query.setMaxResults(limit).getResultList();
        });
    }

    /** Recomputes the whole chain; reports the first entry whose link or content is wrong. */
    @WithSession
    public Uni<ChainVerification> verify() {
        return Panache.getSession().flatMap(s -> verifyFrom(s, 0, "", 0)
                .flatMap(result -> result.intact() ? checkHead(s, result) : Uni.createFrom().item(result)));
    }

    private Uni<ChainVerification> verifyFrom(Mutiny.Session s, long lastSequence, String lastHash, long checked) {
        return s.createSelectionQuery("from AuditEntryEntity where sequence > :after order by sequence",
                AuditEntryEntity.class)
                .setParameter("after", lastSequence)
                .setMaxResults(VERIFY_PAGE)
                .getResultList()
                .flatMap(page -> {
                    long sequence = lastSequence;
                    String hash = lastHash;
                    long n = checked;
                    for (AuditEntryEntity e : page) {
                        n++;
                        if (e.sequence != sequence + 1) {
                            return Uni.createFrom().item(ChainVerification.broken(n, sequence + 1,
                                    "entry " + (sequence + 1) + " is missing (next present is " + e.sequence + ")",
                                    sequence, hash));
                        }
                        if (!e.previousHash.equals(hash)) {
                            return Uni.createFrom().item(ChainVerification.broken(n, e.sequence,
                                    "previous hash does not match entry " + sequence, sequence, hash));
                        }
                        if (!AuditHasher.hash(e).equals(e.entryHash)) {
                            return Uni.createFrom().item(ChainVerification.broken(n, e.sequence,
                                    "entry hash does not match its content", sequence, hash));
                        }
                        sequence = e.sequence;
                        hash = e.entryHash;
                    }
                    s.clear();
                    if (page.size() < VERIFY_PAGE) {
                        return Uni.createFrom().item(ChainVerification.intact(n, sequence, hash));
                    }
                    return verifyFrom(s, sequence, hash, n);
                });
    }

    /** The head row must name the last entry; a chain cut off at the end is caught here. */
    private Uni<ChainVerification> checkHead(Mutiny.Session s, ChainVerification result) {
        return s.find(AuditChainHeadEntity.class, AuditChainHeadEntity.ID).map(head -> {
            if (head.sequence != result.headSequence() || !head.entryHash.equals(result.headHash())) {
                long missing = Math.min(head.sequence, result.headSequence()) + 1;
                return ChainVerification.broken(result.entriesChecked(), missing,
                        "chain head says entry " + head.sequence + " but the chain ends at " + result.headSequence(),
                        result.headSequence(), result.headHash());
            }
            return result;
        });
    }

    /** The outcome of {@link #verify()}. */
    public record ChainVerification(boolean intact, long entriesChecked, long firstBrokenSequence, String reason,
            long headSequence, String headHash) {

        static ChainVerification intact(long checked, long headSequence, String headHash) {
            return new ChainVerification(true, checked, 0, "", headSequence, headHash);
        }

        static ChainVerification broken(long checked, long brokenSequence, String reason, long lastGood,
                String lastGoodHash) {
            return new ChainVerification(false, checked, brokenSequence, reason, lastGood, lastGoodHash);
        }
    }
}
