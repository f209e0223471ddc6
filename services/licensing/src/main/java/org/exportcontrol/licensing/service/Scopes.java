package org.exportcontrol.licensing.service;

import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.platform.security.Roles;

/**
 * Licensing's access rules on top of the platform check: an exporter acts only for its own
 * enterprise, and some steps belong to one level of the chain.
 */
public final class Scopes {

    private Scopes() {
    }

    /** Role and jurisdiction, and for an exporter: the enterprise must be its own. */
    public static void enterprise(Caller caller, LicensingAction action, String province, String creditCode) {
        AccessControl.check(caller, action, Jurisdiction.of(province));
        if (actsOnlyAsExporter(caller, action) && !caller.enterprise().map(creditCode::equals).orElse(false)) {
            throw ApiErrors.permissionDenied("NOT_OWN_ENTERPRISE",
                    caller.subject() + " acts only for enterprise " + caller.enterprise().orElse("(none)"));
        }
    }

    /** The step belongs to the national level. */
    public static void national(Caller caller, LicensingAction action) {
        AccessControl.check(caller, action, Jurisdiction.NATIONAL);
        if (!caller.jurisdiction().isNational()) {
            throw ApiErrors.permissionDenied("NATIONAL_LEVEL_ONLY", action.actionName() + " is done at the national level");
        }
    }

    /** The step belongs to the province itself (the national level does not do it). */
    public static void provincial(Caller caller, LicensingAction action, String province) {
        AccessControl.check(caller, action, Jurisdiction.of(province));
        if (caller.jurisdiction().isNational()) {
            throw ApiErrors.permissionDenied("PROVINCIAL_LEVEL_ONLY",
                    action.actionName() + " is done by the exporter's province");
        }
    }

    /** True if the caller holds no role for the action other than exporter. */
    public static boolean actsOnlyAsExporter(Caller caller, LicensingAction action) {
        return caller.hasRole(Roles.EXPORTER) && caller.roles().stream()
                .filter(action.allowedRoles()::contains).allMatch(Roles.EXPORTER::equals);
    }
}
