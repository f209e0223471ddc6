package org.exportcontrol.reporting;

import static org.exportcontrol.platform.security.Roles.ANALYST;
import static org.exportcontrol.platform.security.Roles.AUDITOR;
import static org.exportcontrol.platform.security.Roles.DEPARTMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.ENFORCEMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.INSPECTOR;
import static org.exportcontrol.platform.security.Roles.LICENSING_OFFICER;
import static org.exportcontrol.platform.security.Roles.LICENSING_REVIEWER;
import static org.exportcontrol.platform.security.Roles.NATIONAL_COORDINATOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SUPERVISOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SYSTEM;
import static org.exportcontrol.platform.security.Roles.QUOTA_OFFICER;

import java.util.Set;

import org.exportcontrol.platform.security.Action;

/** What callers may do in provincial reporting (docs/security-model.md). */
public enum ReportingAction implements Action {
    /** Register a facility of one's own province. */
    FACILITY_REGISTER("facility.register", PROVINCIAL_SYSTEM, PROVINCIAL_SUPERVISOR),
    FACILITY_READ("facility.read", PROVINCIAL_SYSTEM, PROVINCIAL_SUPERVISOR, INSPECTOR, ENFORCEMENT_OFFICER,
            DEPARTMENT_OFFICER, QUOTA_OFFICER, ANALYST, AUDITOR, NATIONAL_COORDINATOR),
    /** Report chain events for facilities of one's own province. */
    EVENT_REPORT("chain-event.report", PROVINCIAL_SYSTEM),
    /** Lots and traces: every province the lot passed through, and the national level. */
    LOT_READ("lot.read", PROVINCIAL_SYSTEM, PROVINCIAL_SUPERVISOR, INSPECTOR, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER,
            ANALYST, AUDITOR, NATIONAL_COORDINATOR),
    MASS_BALANCE_READ("mass-balance.read", PROVINCIAL_SYSTEM, PROVINCIAL_SUPERVISOR, INSPECTOR, ENFORCEMENT_OFFICER,
            QUOTA_OFFICER, ANALYST, AUDITOR, NATIONAL_COORDINATOR),
    /** National industry allocates quotas. */
    QUOTA_SET("quota.set", QUOTA_OFFICER),
    QUOTA_READ("quota.read", QUOTA_OFFICER, PROVINCIAL_SUPERVISOR, INSPECTOR, ENFORCEMENT_OFFICER, ANALYST, AUDITOR,
            NATIONAL_COORDINATOR, PROVINCIAL_SYSTEM),
    /** A province's supervisor reports for the province. */
    SUPERVISION_REPORT_SUBMIT("supervision-report.submit", PROVINCIAL_SUPERVISOR),
    SUPERVISION_REPORT_READ("supervision-report.read", PROVINCIAL_SUPERVISOR, INSPECTOR, ANALYST, AUDITOR,
            NATIONAL_COORDINATOR),
    COMPLIANCE_REVIEW_RECORD("compliance-review.record", INSPECTOR),
    COMPLIANCE_REVIEW_READ("compliance-review.read", INSPECTOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER, ANALYST,
            AUDITOR, NATIONAL_COORDINATOR),
    /** Declared and exported quantities per month, item and province (the caller's provinces). */
    EXPORT_STATISTICS_READ("export-statistics.read", NATIONAL_COORDINATOR, ANALYST, AUDITOR, LICENSING_OFFICER,
            LICENSING_REVIEWER, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER, QUOTA_OFFICER, PROVINCIAL_SUPERVISOR, INSPECTOR);

    private final String actionName;
    private final Set<String> allowedRoles;

    ReportingAction(String actionName, String... roles) {
        this.actionName = actionName;
        this.allowedRoles = Set.of(roles);
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
