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
        MessageDigest md = Digests.sha256();
        field(md, Long.toString(e.sequence));
        field(md, e.actor);
        field(md, e.actorKind);
        field(md, e.onBehalfOf);
        field(md, e.jurisdiction);
        field(md, e.action);
        field(md, e.subject);
        field(md, canonicalTime(e.occurredAt));
        field(md, e.beforeDigest);
        field(md, e.afterDigest);
        field(md, e.requestId);
        field(md, e.previousHash);
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
