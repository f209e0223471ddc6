package org.exportcontrol.platform.probe;

import java.util.Set;

import org.exportcontrol.platform.security.Action;
import org.exportcontrol.platform.security.Roles;

/** The action the library's test probe guards (only in the library's own tests). */
enum ProbeAction implements Action {
    RAISE;

    @Override
    public String actionName() {
        return "probe.raise";
    }

    @Override
    public Set<String> allowedRoles() {
        return Set.of(Roles.ENFORCEMENT_OFFICER, Roles.NATIONAL_COORDINATOR);
    }
}
