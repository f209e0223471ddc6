package org.exportcontrol.reporting.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.licensing.v1.CheckAndDecrementRequest;
import org.exportcontrol.api.licensing.v1.MutinyLicenceServiceGrpc;
import org.exportcontrol.platform.security.ServiceToken;

import com.google.rpc.ErrorInfo;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;

/**
 * Licensing, as provincial reporting uses it: check-and-decrement for export declarations, with
 * this service's own token. The call is idempotent per declaration id, so a retry after a failed
 * commit gets the first answer again.
 */
@ApplicationScoped
public class LicensingClient {

    public static final String ACCEPTED = "ACCEPTED";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @GrpcClient("licensing")
    MutinyLicenceServiceGrpc.MutinyLicenceServiceStub licences;
    @Inject
    ServiceToken token;
    @ConfigProperty(name = "reporting.licensing.deadline", defaultValue = "5s")
    Duration deadline;

    /** "ACCEPTED", or licensing's stable refusal reason; fails only when licensing cannot answer. */
    public Uni<String> checkAndDecrement(CheckAndDecrementRequest request) {
        return token.accessToken().flatMap(bearer -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + bearer);
            return GrpcClientUtils.attachHeaders(licences, headers)
                    .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .checkAndDecrement(request);
        }).map(response -> ACCEPTED)
                .onFailure(LicensingClient::isAnswer).recoverWithItem(LicensingClient::reason);
    }

    /** A refusal is an answer; anything else (unavailable, deadline) is not. */
    static boolean isAnswer(Throwable t) {
        if (!(t instanceof StatusRuntimeException e)) {
            return false;
        }
        Status.Code code = e.getStatus().getCode();
        return code == Status.Code.FAILED_PRECONDITION || code == Status.Code.NOT_FOUND
                || code == Status.Code.INVALID_ARGUMENT;
    }

    static String reason(Throwable t) {
        StatusRuntimeException e = (StatusRuntimeException) t;
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
            return "LICENCE_NOT_FOUND";
        }
        if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
            return "LICENCE_CHECK_INVALID";
        }
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status != null) {
            for (var any : status.getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    try {
                        return any.unpack(ErrorInfo.class).getReason();
                    } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                        // fall through
                    }
                }
            }
        }
        return "LICENCE_REFUSED";
    }
}
