package org.exportcontrol.platform.security;

import java.util.Set;

/**
 * Something a caller may do. Each service lists its actions (usually as an enum) with the realm
 * roles allowed to take them; {@code docs/security-model.md} holds the same table for people.
 */
public interface Action {

    /** A stable name, e.g. "audit.verify"; it is also the audit action name. */
    String actionName();

    /** Realm roles allowed to take this action (inside their jurisdiction). */
    Set<String> allowedRoles();
}
