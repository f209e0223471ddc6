package org.exportcontrol.gateway.security;

import java.util.HashSet;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The signed-in person, read from the access token: the bearer token of an API call, or the
 * access token of the browser session (code flow). That access token, never the ID token, is what
 * the gateway forwards to the services, which check it again.
 */
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    /** For the API tenant the bearer token; for the browser session its access token. */
    @Inject
    JsonWebToken accessToken;

    private Caller caller;

    public Caller caller() {
        if (caller == null) {
            caller = read();
        }
        return caller;
    }

    public boolean signedIn() {
        return identity != null && !identity.isAnonymous() && accessToken != null && accessToken.getRawToken() != null;
    }

    private Caller read() {
        if (!signedIn()) {
            throw ApiErrors.unauthenticated("a valid bearer token from the export-control realm is required");
        }
        String username = accessToken.getClaim("preferred_username");
        String subject = username != null ? username : accessToken.getSubject();
        Optional<Jurisdiction> jurisdiction = Jurisdiction.parse(accessToken.getClaim(AccessControl.CLAIM_JURISDICTION));
        if (jurisdiction.isEmpty()) {
            throw ApiErrors.permissionDenied("NO_JURISDICTION",
                    "the token of " + subject + " carries no valid jurisdiction claim");
        }
        boolean service = username != null && username.startsWith("service-account-");
        return new Caller(subject, service ? Caller.Kind.SERVICE : Caller.Kind.USER,
                java.util.Set.copyOf(new HashSet<>(identity.getRoles())), jurisdiction.get(),
                claim(AccessControl.CLAIM_DEPARTMENT), claim(AccessControl.CLAIM_ENTERPRISE), accessToken.getRawToken());
    }

    private Optional<String> claim(String name) {
        Object value = accessToken.getClaim(name);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
    }

    /** The display name for the page header. */
    public String displayName() {
        Object name = accessToken.getClaim("name");
        return name != null ? name.toString() : caller().subject();
    }
}
