package org.exportcontrol.platform.audit;

import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

/**
 * What to append to the audit chain: who did what to which resource. The digests are hex SHA-256
 * of the resource before and after (see {@link Digests}); empty when there is no such state.
 */
public record AuditRecord(Caller caller, String onBehalfOf, Jurisdiction jurisdiction, String action,
        String subject, String beforeDigest, String afterDigest, String requestId) {

    public static AuditRecord of(Caller caller, Jurisdiction jurisdiction, String action, String subject,
            String requestId) {
        return new AuditRecord(caller, null, jurisdiction, action, subject, null, null, requestId);
    }

    public AuditRecord withDigests(String before, String after) {
        return new AuditRecord(caller, onBehalfOf, jurisdiction, action, subject, before, after, requestId);
    }

    public AuditRecord onBehalfOf(String user) {
        return new AuditRecord(caller, user, jurisdiction, action, subject, beforeDigest, afterDigest, requestId);
    }
}
