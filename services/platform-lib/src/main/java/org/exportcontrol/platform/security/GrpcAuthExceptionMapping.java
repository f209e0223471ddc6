package org.exportcontrol.platform.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/**
 * Quarkus maps a missing token on a secured gRPC method to PERMISSION_DENIED; the platform's
 * contract is UNAUTHENTICATED for "who are you?" and PERMISSION_DENIED only for "not you".
 * (Declared as an alternative: two providers without it clash and the status becomes UNKNOWN.)
 */
@Alternative
@Priority(1)
@Singleton
public class GrpcAuthExceptionMapping implements AuthExceptionHandlerProvider {

    @Override
    public int getPriority() {
        return 1;
    }

    @Override
    public <ReqT, RespT> AuthExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, serverCall, metadata) {
            @Override
            protected void handleException(Throwable exception, ServerCall<ReqT, RespT> call, Metadata trailers) {
                if (handlesException(exception)) {
                    call.close(transformToStatusException(exception).getStatus(), trailers);
                } else {
                    super.handleException(exception, call, trailers);
                }
            }
        };
    }

    @Override
    public StatusException transformToStatusException(Throwable t) {
        if (t instanceof UnauthorizedException || t instanceof AuthenticationFailedException) {
            return new StatusException(Status.UNAUTHENTICATED
                    .withDescription("a valid bearer token from the export-control realm is required"));
        }
        return new StatusException(Status.PERMISSION_DENIED.withDescription(t.getMessage()));
    }

    @Override
    public boolean handlesException(Throwable failure) {
        return failure instanceof io.quarkus.security.AuthenticationException || failure instanceof SecurityException;
    }
}
