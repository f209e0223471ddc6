package org.exportcontrol.simulator.cli;

import java.util.concurrent.TimeUnit;

import com.google.rpc.ErrorInfo;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;

/** Small helpers around gRPC calls: deadlines, and the stable reason of an error. */
final class Calls {

    private Calls() {
    }

    static <S extends AbstractStub<S>> S deadline(S stub) {
        return stub.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    static boolean is(StatusRuntimeException e, Status.Code code) {
        return e.getStatus().getCode() == code;
    }

    /** The ErrorInfo reason of a status, or "" if it has none. */
    static String reason(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        if (s != null) {
            for (var any : s.getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    try {
                        return any.unpack(ErrorInfo.class).getReason();
                    } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                        return "";
                    }
                }
            }
        }
        return "";
    }

    /** One line naming the status, its reason and its message. */
    static String describe(StatusRuntimeException e) {
        String reason = reason(e);
        String hint = e.getStatus().getCode() == Status.Code.UNAVAILABLE
                ? " (is the service running? deploy/local/platform.sh status)" : "";
        return e.getStatus().getCode() + (reason.isEmpty() ? "" : " " + reason) + ": "
                + e.getStatus().getDescription() + hint;
    }
}
