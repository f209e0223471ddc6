package org.exportcontrol.gateway.security;

import jakarta.ws.rs.core.Response;

import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.ProblemMapper;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The REST layer's own security refusals (an API call without a token reaching an
 * {@code @Authenticated} resource) as problem+json, the same shape as the services' refusals.
 */
public class AuthorizationProblems {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        var status = ApiErrors.unauthenticated("a valid bearer token from the export-control realm is required");
        return ProblemMapper.toResponse(Status.UNAUTHENTICATED.withDescription(status.getStatus().getDescription()),
                StatusProto.fromThrowable(status));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        var status = ApiErrors.permissionDenied("ROLE_NOT_ALLOWED", "the caller's role does not allow this");
        return ProblemMapper.toResponse(Status.PERMISSION_DENIED.withDescription(status.getStatus().getDescription()),
                StatusProto.fromThrowable(status));
    }
}
