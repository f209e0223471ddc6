package org.exportcontrol.platform.security;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.exportcontrol.platform.error.ApiErrors;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The one access check of the platform, the same for gRPC and REST:
 * "this caller may do ACTION on a resource of JURISDICTION". The role must allow the action and
 * the caller's jurisdiction must cover the resource's (national covers every province; a province
 * covers only itself). Failures are UNAUTHENTICATED (no valid token) or PERMISSION_DENIED, as
 * gRPC statuses that the REST layer maps to 401 and 403.
 */
@ApplicationScoped
public class AccessControl {

    public static final String CLAIM_JURISDICTION = "jurisdiction";
    public static final String CLAIM_DEPARTMENT = "department";
    public static final String CLAIM_ENTERPRISE = "enterprise";
    private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    @Inject
    SecurityIdentity identity;

    /** The authenticated caller; UNAUTHENTICATED without a valid token. */
    public Caller caller() {
        return callerOf(identity);
    }

    /** Requires the action's role and that the caller's jurisdiction covers {@code resource}. */
    public Caller require(Action action, Jurisdiction resource) {
        Caller caller = caller();
        check(caller, action, resource);
        return caller;
    }

    /** Requires the action's role only; callers then see data inside their own jurisdiction. */
    public Caller require(Action action) {
        Caller caller = caller();
        if (caller.roles().stream().noneMatch(action.allowedRoles()::contains)) {
            throw ApiErrors.permissionDenied("ROLE_NOT_ALLOWED",
                    "%s has no role that allows %s".formatted(caller.subject(), action.actionName()));
        }
        return caller;
    }

    /**
     * The same check for a caller resolved earlier (inside a reactive pipeline, where the request's
     * identity is no longer at hand): role, then jurisdiction.
     */
    public static void check(Caller caller, Action action, Jurisdiction resource) {
        if (caller.roles().stream().noneMatch(action.allowedRoles()::contains)) {
            throw ApiErrors.permissionDenied("ROLE_NOT_ALLOWED",
                    "%s has no role that allows %s".formatted(caller.subject(), action.actionName()));
        }
        if (!caller.jurisdiction().covers(resource)) {
            throw ApiErrors.permissionDenied("OUTSIDE_JURISDICTION",
                    "%s may not %s in jurisdiction %s".formatted(caller.subject(), action.actionName(), resource.code()));
        }
    }

    /** Reads a caller from a verified identity (bearer token checked by quarkus-oidc). */
    public static Caller callerOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw ApiErrors.unauthenticated("a valid bearer token from the export-control realm is required");
        }
        String username = jwt.getClaim("preferred_username");
        String clientId = firstNonBlank(jwt.getClaim("client_id"), jwt.getClaim("azp"));
        boolean service = username != null && username.startsWith(SERVICE_ACCOUNT_PREFIX);
        String subject = service ? clientId : firstNonBlank(username, jwt.getSubject());
        Optional<Jurisdiction> jurisdiction = Jurisdiction.parse(jwt.getClaim(CLAIM_JURISDICTION));
        if (jurisdiction.isEmpty()) {
            throw ApiErrors.permissionDenied("NO_JURISDICTION",
                    "the token of " + subject + " carries no valid jurisdiction claim");
        }
        Set<String> roles = new HashSet<>(identity.getRoles());
        return new Caller(subject, service ? Caller.Kind.SERVICE : Caller.Kind.USER, Set.copyOf(roles),
                jurisdiction.get(), Optional.ofNullable(blankToNull(jwt.getClaim(CLAIM_DEPARTMENT))),
                Optional.ofNullable(blankToNull(jwt.getClaim(CLAIM_ENTERPRISE))), jwt.getRawToken());
    }

    private static String firstNonBlank(Object a, Object b) {
        String first = a == null ? null : a.toString();
        return first != null && !first.isBlank() ? first : (b == null ? null : b.toString());
    }

    private static String blankToNull(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
