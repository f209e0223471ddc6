package org.exportcontrol.platform.probe;

import java.util.UUID;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.Subject;
import org.exportcontrol.api.enforcement.v1.SubjectType;

/** Requests to the test probe. */
public final class ProbeRequests {

    private ProbeRequests() {
    }

    public static RaiseSignalRequest request(String jurisdiction) {
        return request(jurisdiction, "JX-LOT-" + UUID.randomUUID());
    }

    public static RaiseSignalRequest request(String jurisdiction, String subject) {
        return RaiseSignalRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_LOT).setId(subject))
                .build();
    }
}
