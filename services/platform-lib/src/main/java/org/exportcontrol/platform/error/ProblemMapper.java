package org.exportcontrol.platform.error;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Maps the platform's gRPC error model to RFC 9457 problem+json for REST callers: the same
 * status whether the error was raised here or came back from a backend service over gRPC.
 * Field violations become {@code errors[]}, the ErrorInfo reason becomes {@code reason}.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response mapStatus(StatusRuntimeException e) {
        return toResponse(e.getStatus(), StatusProto.fromThrowable(e));
    }

    @ServerExceptionMapper
    public Response mapStatus(StatusException e) {
        return toResponse(e.getStatus(), StatusProto.fromThrowable(e));
    }

    static Response toResponse(Status status, com.google.rpc.Status details) {
        int http = httpStatus(status.getCode());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", Response.Status.fromStatusCode(http) != null
                ? Response.Status.fromStatusCode(http).getReasonPhrase() : status.getCode().name());
        problem.put("status", http);
        if (http >= 500) {
            LOG.warnf("backend status %s: %s", status.getCode(), status.getDescription());
            // Never leak internals; the code tells operators where to look.
            problem.put("detail", status.getCode() == Status.Code.UNAVAILABLE
                    ? "a service the request needs is unavailable; try again" : "internal error");
        } else {
            problem.put("detail", status.getDescription());
        }
        problem.put("grpcStatus", status.getCode().name());
        if (details != null) {
            List<Map<String, String>> errors = new ArrayList<>();
            for (Any any : details.getDetailsList()) {
                try {
                    if (any.is(BadRequest.class)) {
                        for (BadRequest.FieldViolation v : any.unpack(BadRequest.class).getFieldViolationsList()) {
                            errors.add(Map.of("field", v.getField(), "detail", v.getDescription()));
                        }
                    } else if (any.is(ErrorInfo.class)) {
                        ErrorInfo info = any.unpack(ErrorInfo.class);
                        problem.put("reason", info.getReason());
                        if (!info.getMetadataMap().isEmpty()) {
                            problem.put("metadata", info.getMetadataMap());
                        }
                    } else if (any.is(ResourceInfo.class)) {
                        ResourceInfo info = any.unpack(ResourceInfo.class);
                        problem.put("resource", info.getResourceType() + "/" + info.getResourceName());
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // a detail we cannot read is left out; the status itself still tells the story
                }
            }
            if (!errors.isEmpty()) {
                problem.put("errors", errors);
            }
        }
        return Response.status(http).type(PROBLEM_JSON).entity(problem).build();
    }

    /**
     * The HTTP status for a gRPC code, after google.rpc.Code, except FAILED_PRECONDITION: 422, so a
     * client tells a domain refusal from malformed input (400).
     */
    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case FAILED_PRECONDITION -> 422;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }
}
