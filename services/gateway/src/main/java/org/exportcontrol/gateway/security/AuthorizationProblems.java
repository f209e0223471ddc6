package org.exportcontrol.gateway.security;

import jakarta.ws.rs.core.Response;

import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.ProblemMapper;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The REST layer's own security refusals (an API call without a token reaching an
 * {@code @Authenticated} resource) as problem+json, the same shape as the services' refusals.
 */
public class AuthorizationProblems {

    private final ProblemMapper problems = new ProblemMapper();

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return problems.mapStatus(ApiErrors.unauthenticated("a valid bearer token from the export-control realm is required"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problems.mapStatus(ApiErrors.permissionDenied("ROLE_NOT_ALLOWED", "the caller's role does not allow this"));
    }
}
