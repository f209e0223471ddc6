package org.exportcontrol.notification.service;

import java.util.Set;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.platform.security.Roles;

/** Rules for recipients: which roles can be addressed, and how departments are named in the realm. */
public final class Recipients {

    /** Roles held by people, who have inboxes and e-mail addresses. */
    public static final Set<String> PERSON_ROLES = Set.of(Roles.NATIONAL_COORDINATOR, Roles.LICENSING_OFFICER,
            Roles.LICENSING_REVIEWER, Roles.PROVINCIAL_SUPERVISOR, Roles.INSPECTOR, Roles.ENFORCEMENT_OFFICER,
            Roles.DEPARTMENT_OFFICER, Roles.QUOTA_OFFICER, Roles.ANALYST, Roles.AUDITOR, Roles.EXPORTER);

    private static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,255}");

    private Recipients() {
    }

    /** Adds a violation for each bad part of one recipient; {@code field} is its path, e.g. "recipients[0]". */
    public static void validate(Validation v, String field, Recipient r) {
        switch (r.getTargetCase()) {
            case ROLE -> {
                v.require(field + ".role.role", PERSON_ROLES.contains(r.getRole().getRole()),
                        "must be a role held by people, one of " + new java.util.TreeSet<>(PERSON_ROLES));
                v.require(field + ".role.jurisdiction.code", Jurisdiction.isValid(r.getRole().getJurisdiction().getCode()),
                        "must be \"national\" or a GB/T 2260 province-level code");
                v.require(field + ".role.department", r.getRole().getDepartment() != Department.UNRECOGNIZED,
                        "is not a known department");
            }
            case USERNAME -> v.require(field + ".username", USERNAME.matcher(r.getUsername()).matches(),
                    "must be a user name of the realm");
            case ENTERPRISE_CREDIT_CODE -> {
                String problem = CreditCode.problem(r.getEnterpriseCreditCode());
                v.require(field + ".enterprise_credit_code", problem == null, problem);
            }
            default -> v.add(field, "must name a role, a username or an enterprise_credit_code");
        }
    }

    /** The realm's group attribute value for a department, e.g. DEPARTMENT_PUBLIC_SECURITY -> "public-security". */
    public static String departmentAttribute(Department department) {
        return department.name().substring("DEPARTMENT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A short description for logs and e-mails, e.g. "enforcement-officer in 360000". */
    public static String describe(Recipient r) {
        return switch (r.getTargetCase()) {
            case ROLE -> r.getRole().getRole() + " in " + r.getRole().getJurisdiction().getCode()
                    + (r.getRole().getDepartment() == Department.DEPARTMENT_UNSPECIFIED ? ""
                            : " (" + departmentAttribute(r.getRole().getDepartment()) + ")");
            case USERNAME -> "user " + r.getUsername();
            case ENTERPRISE_CREDIT_CODE -> "enterprise " + r.getEnterpriseCreditCode();
            default -> "nobody";
        };
    }
}
