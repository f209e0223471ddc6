package org.exportcontrol.licensing;

import static org.exportcontrol.platform.security.Roles.ANALYST;
import static org.exportcontrol.platform.security.Roles.AUDITOR;
import static org.exportcontrol.platform.security.Roles.DEPARTMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.ENFORCEMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.EXPORTER;
import static org.exportcontrol.platform.security.Roles.INSPECTOR;
import static org.exportcontrol.platform.security.Roles.LICENCE_ENFORCEMENT;
import static org.exportcontrol.platform.security.Roles.LICENCE_USAGE_REPORTER;
import static org.exportcontrol.platform.security.Roles.LICENSING_OFFICER;
import static org.exportcontrol.platform.security.Roles.LICENSING_REVIEWER;
import static org.exportcontrol.platform.security.Roles.NATIONAL_COORDINATOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SUPERVISOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SYSTEM;
import static org.exportcontrol.platform.security.Roles.QUOTA_OFFICER;

import java.util.Set;

import org.exportcontrol.platform.security.Action;

/** What callers may do in licensing, and which roles may do it (docs/security-model.md). */
public enum LicensingAction implements Action {
    CONTROL_LIST_READ("control-list.read", LICENSING_OFFICER, LICENSING_REVIEWER, PROVINCIAL_SUPERVISOR, INSPECTOR,
            ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER, QUOTA_OFFICER, ANALYST, AUDITOR, NATIONAL_COORDINATOR, EXPORTER,
            PROVINCIAL_SYSTEM, LICENCE_USAGE_REPORTER),
    /** National level only. */
    CONTROL_LIST_EDIT("control-list.edit", LICENSING_OFFICER, LICENSING_REVIEWER),
    WATCH_LIST_READ("watch-list.read", LICENSING_OFFICER, LICENSING_REVIEWER, ENFORCEMENT_OFFICER, ANALYST,
            NATIONAL_COORDINATOR),
    /** National level only: watch list, embargo list, working-day calendar. */
    LISTS_EDIT("lists.edit", LICENSING_OFFICER, LICENSING_REVIEWER),
    ENTERPRISE_READ("enterprise.read", LICENSING_OFFICER, LICENSING_REVIEWER, PROVINCIAL_SUPERVISOR, INSPECTOR,
            ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER, QUOTA_OFFICER, ANALYST, AUDITOR, NATIONAL_COORDINATOR, EXPORTER,
            PROVINCIAL_SYSTEM, LICENCE_USAGE_REPORTER),
    ENTERPRISE_REGISTER("enterprise.register", LICENSING_OFFICER),
    /** Exporters for their own enterprise; provincial commerce for theirs. */
    APPLICATION_PREPARE("application.prepare", EXPORTER, LICENSING_OFFICER),
    APPLICATION_READ("application.read", EXPORTER, LICENSING_OFFICER, LICENSING_REVIEWER, DEPARTMENT_OFFICER,
            ANALYST, AUDITOR, NATIONAL_COORDINATOR),
    /** Provincial review: commerce staff of the exporter's province only (not national). */
    APPLICATION_REVIEW_PROVINCIAL("application.review-provincially", LICENSING_OFFICER, LICENSING_REVIEWER),
    APPLICATION_REQUEST_INFORMATION("application.request-information", LICENSING_OFFICER, LICENSING_REVIEWER),
    /** National level only. */
    APPLICATION_CONSULT("application.consult", LICENSING_OFFICER, LICENSING_REVIEWER),
    /** National department officers of a consulted department. */
    APPLICATION_ADVISE("application.advise", DEPARTMENT_OFFICER),
    /** National reviewers who did not review the application provincially. */
    APPLICATION_DECIDE("application.decide", LICENSING_REVIEWER),
    LICENCE_READ("licence.read", EXPORTER, LICENSING_OFFICER, LICENSING_REVIEWER, DEPARTMENT_OFFICER,
            ENFORCEMENT_OFFICER, ANALYST, AUDITOR, NATIONAL_COORDINATOR, PROVINCIAL_SYSTEM, LICENCE_USAGE_REPORTER,
            LICENCE_ENFORCEMENT),
    /** Check-and-decrement and cancellation, by provincial reporting's service identity. */
    LICENCE_USE("licence.use", LICENCE_USAGE_REPORTER),
    LICENCE_SUSPEND("licence.suspend", LICENCE_ENFORCEMENT),
    /** National reviewers decide a suspended licence: revoke or reinstate. */
    LICENCE_DECIDE_SUSPENSION("licence.decide-suspension", LICENSING_REVIEWER);

    private final String actionName;
    private final Set<String> allowedRoles;

    LicensingAction(String actionName, String... roles) {
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
