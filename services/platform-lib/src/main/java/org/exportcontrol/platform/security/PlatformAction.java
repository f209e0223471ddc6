package org.exportcontrol.platform.security;

import java.util.Set;

/** Actions every service offers through the shared {@code AuditService}. */
public enum PlatformAction implements Action {
    /** List audit entries inside one's jurisdiction. */
    AUDIT_READ("audit.read", Roles.AUDITOR, Roles.NATIONAL_COORDINATOR),
    /** Recompute a chain and find its first broken link. */
    AUDIT_VERIFY("audit.verify", Roles.AUDITOR, Roles.NATIONAL_COORDINATOR),
    /** Record another service's chain head (services only). */
    AUDIT_RECORD_PEER_HEAD("audit.record-peer-head", Roles.AUDIT_PEER),
    /** Read chain heads: peers and auditors. */
    AUDIT_READ_HEADS("audit.read-heads", Roles.AUDIT_PEER, Roles.AUDITOR, Roles.NATIONAL_COORDINATOR);

    private final String actionName;
    private final Set<String> allowedRoles;

    PlatformAction(String actionName, String... allowedRoles) {
        this.actionName = actionName;
        this.allowedRoles = Set.of(allowedRoles);
    }

    @Override
    public String actionName() {
        return actionName;
    }

    @Override
    public Set<String> allowedRoles() {
        return allowedRoles;
    }
}
