package org.exportcontrol.platform.testing;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** Attaches a bearer token to a gRPC stub, as a provincial system or a service would. */
public final class GrpcAuth {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private GrpcAuth() {
    }

    public static <S extends AbstractStub<S>> S bearer(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
