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

    /** INVALID_ARGUMENT with one {@code BadRequest.FieldViolation} per bad field. */
    public static StatusRuntimeException invalidArgument(List<BadRequest.FieldViolation> violations) {
        BadRequest badRequest = BadRequest.newBuilder().addAllFieldViolations(violations).build();
        String summary = violations.size() == 1
                ? violations.get(0).getField() + ": " + violations.get(0).getDescription()
                : violations.size() + " fields are invalid: "
                        + String.join(", ", violations.stream().map(BadRequest.FieldViolation::getField).toList());
        return build(Code.INVALID_ARGUMENT, summary, Any.pack(badRequest));
    }

    public static StatusRuntimeException invalidArgument(String field, String description) {
        return invalidArgument(List.of(violation(field, description)));
    }

    public static BadRequest.FieldViolation violation(String field, String description) {
        return BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build();
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
        ResourceInfo info = ResourceInfo.newBuilder().setResourceType(resourceType).setResourceName(resourceName).build();
        return build(Code.NOT_FOUND, resourceType + " " + resourceName + " not found", Any.pack(info));
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
        return ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).build();
    }

    private static StatusRuntimeException build(Code code, String message, Any detail) {
        Status status = Status.newBuilder().setCode(code.getNumber()).setMessage(message).addDetails(detail).build();
        return StatusProto.toStatusRuntimeException(status);
    }
}
