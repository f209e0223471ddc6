package org.exportcontrol.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit entry: SHA-256 over every field and the previous entry's hash, each field
 * length-prefixed so no two different entries encode alike. Public so that tools and tests can
 * recompute a chain (a tamperer can anyway: the peers' heads are what a rewrite cannot fake).
 */
public final class AuditHasher {

    private AuditHasher() {
    }

    public static String hash(AuditEntryEntity e) {
        return hash(e.sequence, e.actor, e.actorKind, e.onBehalfOf, e.jurisdiction, e.action, e.subject, e.occurredAt,
                e.beforeDigest, e.afterDigest, e.requestId, e.previousHash);
    }

    /** The same over plain values (for code outside the application, which cannot read entity fields). */
    public static String hash(long sequence, String actor, String actorKind, String onBehalfOf, String jurisdiction,
            String action, String subject, Instant occurredAt, String beforeDigest, String afterDigest,
            String requestId, String previousHash) {
        MessageDigest md = Digests.sha256();
        field(md, Long.toString(sequence));
        field(md, actor);
        field(md, actorKind);
        field(md, onBehalfOf);
        field(md, jurisdiction);
        field(md, action);
        field(md, subject);
        field(md, canonicalTime(occurredAt));
        field(md, beforeDigest);
        field(md, afterDigest);
        field(md, requestId);
        field(md, previousHash);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Microsecond precision: what PostgreSQL stores, so a stored entry hashes as it did when written. */
    static String canonicalTime(Instant t) {
        return t == null ? "" : Long.toString(t.getEpochSecond()) + "." + (t.getNano() / 1000);
    }

    private static void field(MessageDigest md, String value) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        md.update(bytes);
    }
}
