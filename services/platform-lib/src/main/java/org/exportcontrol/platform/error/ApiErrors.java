package org.exportcontrol.platform.error;

import java.util.List;
import java.util.Map;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.Status;

import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The platform's one error model: a gRPC status with {@code google.rpc} details. Services throw
 * these; gRPC carries them as they are, and the REST layer turns the same status into RFC 9457
 * problem+json ({@link ProblemMapper}). Bad input never becomes INTERNAL.
 */
public final class ApiErrors {

    /** The {@code ErrorInfo.domain} of every platform error. */
    public static final String DOMAIN = "exportcontrol.org";

    private ApiErrors() {
    }

    /**
     * An error travels in the response trailers, and gRPC clients refuse trailers over 8 KiB (the
     * default of grpc-java and most others) by resetting the stream, which the caller then sees as
     * INTERNAL. Whatever a request makes us say about it must therefore stay small, however large or
     * wrong the request was: these bound the message, each echoed value and the listed violations.
     */
    static final int MAX_MESSAGE = 400;
    static final int MAX_VALUE = 200;
    static final int MAX_VIOLATION_BYTES = 2_000;

    /**
     * INVALID_ARGUMENT with one {@code BadRequest.FieldViolation} per bad field, in order; when a
     * request has very many bad fields (e.g. thousands of bad elements), the first ones that fit and
     * a last entry saying how many more there are.
     */
    public static StatusRuntimeException invalidArgument(List<BadRequest.FieldViolation> violations) {
        BadRequest.Builder badRequest = BadRequest.newBuilder();
        int size = 0;
        for (BadRequest.FieldViolation v : violations) {
            BadRequest.FieldViolation bounded = violation(v.getField(), v.getDescription());
            size += bounded.getSerializedSize() + 3;
            if (size > MAX_VIOLATION_BYTES && badRequest.getFieldViolationsCount() > 0) {
                int more = violations.size() - badRequest.getFieldViolationsCount();
                badRequest.addFieldViolations(violation("...", more + " more invalid fields are not listed"));
                break;
            }
            badRequest.addFieldViolations(bounded);
        }
        String summary = violations.size() == 1
                ? violations.get(0).getField() + ": " + violations.get(0).getDescription()
                : violations.size() + " fields are invalid: "
                        + String.join(", ", violations.stream().limit(20).map(BadRequest.FieldViolation::getField).toList())
                        + (violations.size() > 20 ? ", ..." : "");
        return build(Code.INVALID_ARGUMENT, summary, Any.pack(badRequest.build()));
    }

    public static StatusRuntimeException invalidArgument(String field, String description) {
        return invalidArgument(List.of(violation(field, description)));
    }

    public static BadRequest.FieldViolation violation(String field, String description) {
        return BadRequest.FieldViolation.newBuilder().setField(bounded(field, MAX_VALUE))
                .setDescription(bounded(description, MAX_VALUE)).build();
    }

    /**
     * FAILED_PRECONDITION: the request is well-formed but the domain refuses it. {@code reason}
     * is stable (UPPER_SNAKE_CASE) so clients can act on it, e.g. "LICENCE_EXPIRED".
     */
    public static StatusRuntimeException failedPrecondition(String reason, String message, Map<String, String> metadata) {
        return build(Code.FAILED_PRECONDITION, message, Any.pack(errorInfo(reason, metadata)));
    }

    public static StatusRuntimeException failedPrecondition(String reason, String message) {
        return failedPrecondition(reason, message, Map.of());
    }

    /** ALREADY_EXISTS with a stable reason. */
    public static StatusRuntimeException alreadyExists(String reason, String message) {
        return build(Code.ALREADY_EXISTS, message, Any.pack(errorInfo(reason, Map.of())));
    }

    public static StatusRuntimeException notFound(String resourceType, String resourceName) {
        String name = bounded(resourceName, MAX_VALUE);
        ResourceInfo info = ResourceInfo.newBuilder().setResourceType(resourceType).setResourceName(name).build();
        return build(Code.NOT_FOUND, resourceType + " " + name + " not found", Any.pack(info));
    }

    public static StatusRuntimeException unauthenticated(String message) {
        return build(Code.UNAUTHENTICATED, message, Any.pack(errorInfo("UNAUTHENTICATED", Map.of())));
    }

    public static StatusRuntimeException permissionDenied(String reason, String message) {
        return build(Code.PERMISSION_DENIED, message, Any.pack(errorInfo(reason, Map.of())));
    }

    /** UNAVAILABLE: a dependency is down; the caller may retry. */
    public static StatusRuntimeException unavailable(String message) {
        return build(Code.UNAVAILABLE, message, Any.pack(errorInfo("DEPENDENCY_UNAVAILABLE", Map.of())));
    }

    private static ErrorInfo errorInfo(String reason, Map<String, String> metadata) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
        metadata.forEach((key, value) -> info.putMetadata(bounded(key, MAX_VALUE), bounded(value, MAX_VALUE)));
        return info.build();
    }

    private static StatusRuntimeException build(Code code, String message, Any detail) {
        Status status = Status.newBuilder().setCode(code.getNumber()).setMessage(bounded(message, MAX_MESSAGE))
                .addDetails(detail).build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /** {@code text} cut to {@code max} characters (never inside a surrogate pair), marked with an ellipsis. */
    static String bounded(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1;
        return text.substring(0, end) + "\u2026";
    }
}
