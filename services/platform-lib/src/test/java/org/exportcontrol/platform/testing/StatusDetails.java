package org.exportcontrol.platform.testing;

import java.util.List;
import java.util.Optional;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;

import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Reads the google.rpc details a client receives with an error status. */
public final class StatusDetails {

    private StatusDetails() {
    }

    /** The fields named by BadRequest field violations. */
    public static List<String> badFields(StatusRuntimeException e) {
        return detail(e, BadRequest.class).map(b -> b.getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList()).orElse(List.of());
    }

    /** The stable ErrorInfo reason, if any. */
    public static Optional<String> reason(StatusRuntimeException e) {
        return detail(e, ErrorInfo.class).map(ErrorInfo::getReason);
    }

    public static <T extends com.google.protobuf.Message> Optional<T> detail(StatusRuntimeException e, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return Optional.empty();
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return Optional.of(any.unpack(type));
                } catch (InvalidProtocolBufferException ex) {
                    throw new AssertionError("unreadable detail", ex);
                }
            }
        }
        return Optional.empty();
    }
}
