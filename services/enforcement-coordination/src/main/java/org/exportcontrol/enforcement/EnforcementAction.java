package org.exportcontrol.enforcement;

import static org.exportcontrol.platform.security.Roles.ANALYST;
import static org.exportcontrol.platform.security.Roles.AUDITOR;
import static org.exportcontrol.platform.security.Roles.DEPARTMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.ENFORCEMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.NATIONAL_COORDINATOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SUPERVISOR;
import static org.exportcontrol.platform.security.Roles.SIGNAL_SENDER;

import java.util.Set;

import org.exportcontrol.platform.security.Action;

/** What callers may do in enforcement-coordination, and which roles may do it (docs/enforcement.md). */
public enum EnforcementAction implements Action {
    /** Licensing's and provincial reporting's service identities. */
    SIGNAL_RAISE("signal.raise", SIGNAL_SENDER),
    RULES_READ("rules.read", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER,
            ANALYST, AUDITOR),
    /** National level only. */
    RULES_PUBLISH("rules.publish", NATIONAL_COORDINATOR),
    /** For a province's own jurisdiction; never looser than the national threshold. */
    RULES_TIGHTEN("rules.tighten", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER),
    /** National level only. */
    REFERENCE_PRICE_SET("reference-price.set", NATIONAL_COORDINATOR),
    ALERT_READ("alert.read", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER, ANALYST, AUDITOR),
    ALERT_TRIAGE("alert.triage", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER),
    /** Opening a case from an alert of the caller's jurisdiction. */
    CASE_OPEN("case.open", NATIONAL_COORDINATOR, ENFORCEMENT_OFFICER),
    CASE_READ("case.read", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER, AUDITOR),
    /** Tasks, notes, outcome, proposing the closing. */
    CASE_WORK("case.work", NATIONAL_COORDINATOR, ENFORCEMENT_OFFICER),
    /** Department officers for their own department's tasks. */
    TASK_COMPLETE("case.complete-task", DEPARTMENT_OFFICER, ENFORCEMENT_OFFICER),
    /** Supervisor of the lead jurisdiction or national coordinator; never the proposer. */
    CASE_DECIDE_CLOSING("case.decide-closing", PROVINCIAL_SUPERVISOR, NATIONAL_COORDINATOR),
    /** National to provinces; a province only to its own departments. */
    DIRECTIVE_ISSUE("directive.issue", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR),
    DIRECTIVE_READ("directive.read", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER,
            DEPARTMENT_OFFICER, AUDITOR),
    /** Acknowledging and reporting completion for the caller's own target. */
    DIRECTIVE_RESPOND("directive.respond", PROVINCIAL_SUPERVISOR, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER);

    private final String actionName;
    private final Set<String> allowedRoles;

    EnforcementAction(String actionName, String... roles) {
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
