package org.exportcontrol.platform.security;

/** Realm roles of the export-control realm ({@code deploy/keycloak/export-control-realm.json}). */
public final class Roles {

    // People, down the command chain.
    public static final String NATIONAL_COORDINATOR = "national-coordinator";
    public static final String LICENSING_OFFICER = "licensing-officer";
    public static final String LICENSING_REVIEWER = "licensing-reviewer";
    public static final String PROVINCIAL_SUPERVISOR = "provincial-supervisor";
    public static final String INSPECTOR = "inspector";
    public static final String ENFORCEMENT_OFFICER = "enforcement-officer";
    public static final String DEPARTMENT_OFFICER = "department-officer";
    public static final String QUOTA_OFFICER = "quota-officer";
    public static final String ANALYST = "analyst";
    public static final String AUDITOR = "auditor";
    public static final String EXPORTER = "exporter";

    // Systems and services.
    public static final String PROVINCIAL_SYSTEM = "provincial-system";
    public static final String SIGNAL_SENDER = "signal-sender";
    public static final String NOTIFICATION_SENDER = "notification-sender";
    public static final String LICENCE_USAGE_REPORTER = "licence-usage-reporter";
    public static final String LICENCE_ENFORCEMENT = "licence-enforcement";
    public static final String AUDIT_PEER = "audit-peer";

    private Roles() {
    }
}
