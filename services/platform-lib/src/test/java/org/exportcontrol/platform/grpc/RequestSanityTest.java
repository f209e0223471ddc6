package org.exportcontrol.platform.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.exportcontrol.api.enforcement.v1.AssignTaskRequest;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.Measurement;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Timestamp;

class RequestSanityTest {

    @Test
    void aNulCharacterAnywhereIsNamedWithItsPath() {
        var request = RaiseSignalRequest.newBuilder().setRequestId("r-1")
                .addMeasurements(Measurement.newBuilder().setName("ok"))
                .addMeasurements(Measurement.newBuilder().setName("bad\u0000name")).build();
        assertArrayEquals(new String[] { "measurements[1].name", "must not contain a NUL character" },
                RequestSanity.firstViolation(request).orElseThrow());
        var inMap = RaiseSignalRequest.newBuilder().putFacts("licence_answer", "x\u0000").build();
        assertTrue(RequestSanity.firstViolation(inMap).isPresent(), "map values are checked too");
    }

    @Test
    void timestampsOutsideTheFormatsRangeAreRefused() {
        var tooLate = AssignTaskRequest.newBuilder().setDueAt(Timestamp.newBuilder().setSeconds(RequestSanity.MAX_SECONDS + 1)).build();
        assertArrayEquals(new String[] { "due_at", "must be a time between 0001-01-01 and 9999-12-31" },
                RequestSanity.firstViolation(tooLate).orElseThrow());
        var badNanos = AssignTaskRequest.newBuilder().setDueAt(Timestamp.newBuilder().setSeconds(0).setNanos(-1)).build();
        assertTrue(RequestSanity.firstViolation(badNanos).isPresent());
        var fine = AssignTaskRequest.newBuilder().setRequestId("r").setCaseId("c").setDescription("inspect the warehouse")
                .setDueAt(Timestamp.newBuilder().setSeconds(1_795_000_000L)).build();
        assertTrue(RequestSanity.firstViolation(fine).isEmpty());
    }
}
