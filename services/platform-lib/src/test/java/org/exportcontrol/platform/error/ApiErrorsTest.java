package org.exportcontrol.platform.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * An error is carried in the response trailers, which gRPC clients refuse over 8 KiB by resetting
 * the stream (the caller sees INTERNAL): whatever a request makes a service say stays well below.
 */
class ApiErrorsTest {

    /** What the trailers of this error weigh on the wire: status details in base64, message percent-encoded. */
    private static int trailerBytes(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        byte[] details = trailers.get(Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER));
        int message = 0;
        for (byte b : String.valueOf(e.getStatus().getDescription()).getBytes(StandardCharsets.UTF_8)) {
            message += b >= 0x20 && b < 0x7f && b != '%' ? 1 : 3;
        }
        return Base64.getEncoder().encode(details).length + message;
    }

    @Test
    void thousandsOfBadElementsAreListedAsTheFirstFewAndHowManyMore() throws Exception {
        List<BadRequest.FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            violations.add(ApiErrors.violation("recipients[" + i + "].role.jurisdiction.code", "must be a GB/T 2260 province code"));
        }
        StatusRuntimeException e = ApiErrors.invalidArgument(violations);
        BadRequest listed = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertEquals("recipients[0].role.jurisdiction.code", listed.getFieldViolations(0).getField());
        BadRequest.FieldViolation last = listed.getFieldViolations(listed.getFieldViolationsCount() - 1);
        assertEquals((10_000 - listed.getFieldViolationsCount() + 1) + " more invalid fields are not listed", last.getDescription());
        assertTrue(listed.getFieldViolationsCount() > 10, "too few listed: " + listed.getFieldViolationsCount());
        assertTrue(e.getStatus().getDescription().startsWith("10000 fields are invalid: recipients[0].role.jurisdiction.code, "));
        assertTrue(trailerBytes(e) < 6 * 1024, "trailers of " + trailerBytes(e) + " bytes");
    }

    @Test
    void hugeEchoedValuesAreCutInEveryKindOfError() throws Exception {
        String huge = "稀土".repeat(500_000);
        StatusRuntimeException notFound = ApiErrors.notFound("licence", huge);
        assertEquals(ApiErrors.MAX_VALUE, StatusProto.fromThrowable(notFound).getDetails(0).unpack(ResourceInfo.class)
                .getResourceName().length());
        StatusRuntimeException precondition = ApiErrors.failedPrecondition("LICENCE_EXPIRED", huge, Map.of("licence", huge));
        assertEquals(ApiErrors.MAX_VALUE, StatusProto.fromThrowable(precondition).getDetails(0).unpack(ErrorInfo.class)
                .getMetadataOrThrow("licence").length());
        StatusRuntimeException field = ApiErrors.invalidArgument("end_use", huge);
        assertTrue(field.getStatus().getDescription().endsWith("\u2026"), "the cut is marked");
        for (StatusRuntimeException e : List.of(notFound, precondition, field)) {
            assertTrue(e.getStatus().getDescription().length() <= ApiErrors.MAX_MESSAGE, e.getStatus().getDescription());
            assertTrue(trailerBytes(e) < 6 * 1024, "trailers of " + trailerBytes(e) + " bytes");
        }
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00".repeat(300);
        String cut = ApiErrors.bounded(emoji, ApiErrors.MAX_VALUE);
        assertTrue(cut.length() <= ApiErrors.MAX_VALUE);
        assertTrue(!Character.isHighSurrogate(cut.charAt(cut.length() - 2)), "a lone high surrogate before the ellipsis");
        assertEquals("short", ApiErrors.bounded("short", ApiErrors.MAX_VALUE));
    }
}
