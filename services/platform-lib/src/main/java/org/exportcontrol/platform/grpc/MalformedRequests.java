package org.exportcontrol.platform.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * A request whose bytes are not a protobuf message of the method's type never reaches the service:
 * the transport drops it and the call half-closes without a request, which grpc-java answers with
 * INTERNAL ("Half-closed without a request"). That is the caller's mistake, so it is answered
 * INVALID_ARGUMENT instead, for every method that takes one request message. Such a request is
 * also refused, naming the field, when {@link RequestSanity} finds a NUL character in a string or a
 * timestamp outside the representable range (streams are left to their own per-event checks).
 */
@ApplicationScoped
@GlobalInterceptor
public class MalformedRequests implements ServerInterceptor {

    static final String DETAIL = "the request is not a valid protobuf message of this method's request type";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
            return listener;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean received;

            private boolean rejected;

            @Override
            public void onMessage(Q message) {
                received = true;
                if (message instanceof com.google.protobuf.Message m) {
                    var violation = RequestSanity.firstViolation(m);
                    if (violation.isPresent()) {
                        rejected = true;
                        var status = org.exportcontrol.platform.error.ApiErrors.invalidArgument(violation.get()[0], violation.get()[1]);
                        call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
                        return;
                    }
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (rejected) {
                    return;
                }
                if (!received) {
                    call.close(Status.INVALID_ARGUMENT.withDescription(DETAIL), new Metadata());
                    return;
                }
                super.onHalfClose();
            }
        };
    }
}
