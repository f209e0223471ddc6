package org.exportcontrol.platform.security;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as read from a verified Keycloak access token.
 *
 * @param subject      the user name (preferred_username) or, for a service account, the client id
 * @param kind         a person, or a service acting on its own behalf
 * @param roles        realm roles
 * @param jurisdiction the caller's level of the chain (claim {@code jurisdiction})
 * @param department   the caller's department (claim {@code department}), if any
 * @param enterprise   the unified social credit code of an enterprise user (claim {@code enterprise})
 * @param accessToken  the raw token, forwarded when calling other services on the caller's behalf
 */
public record Caller(String subject, Kind kind, Set<String> roles, Jurisdiction jurisdiction,
        Optional<String> department, Optional<String> enterprise, String accessToken) {

    public enum Kind {
        USER, SERVICE
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }
}
