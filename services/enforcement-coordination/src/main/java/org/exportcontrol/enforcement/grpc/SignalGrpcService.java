package org.exportcontrol.enforcement.grpc;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.Measurement;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.RaiseSignalResponse;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.service.Signals;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link Signals}: validate, check access, once per request id. */
@GrpcService
@Authenticated
public class SignalGrpcService implements org.exportcontrol.api.enforcement.v1.SignalService {

    /** Per kind: the measurement or facts the rules of that kind read. */
    private static final Map<SignalKind, String[]> REQUIRED_MEASUREMENT = Map.of(
            SignalKind.SIGNAL_KIND_SHIPMENT_OVERDUE, new String[] {"hours_overdue"},
            SignalKind.SIGNAL_KIND_FACILITY_LOSS, new String[] {"loss_percent"},
            SignalKind.SIGNAL_KIND_TRANSIT_LOSS, new String[] {"difference_percent"},
            SignalKind.SIGNAL_KIND_QUOTA_USE, new String[] {"use_percent"});
    private static final Map<SignalKind, String[]> REQUIRED_FACTS = Map.of(
            SignalKind.SIGNAL_KIND_EXPORT_DECLARED, new String[] {"licence_answer"},
            SignalKind.SIGNAL_KIND_EXPORTED_TO_OTHER_DESTINATION,
            new String[] {"declared_destination", "carrier_destination"});

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    Signals signals;
    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Override
    public Uni<RaiseSignalResponse> raiseSignal(RaiseSignalRequest request) {
        access.require(EnforcementAction.SIGNAL_RAISE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        SignalKind kind = request.getKind();
        v.require("kind", kind != SignalKind.SIGNAL_KIND_UNSPECIFIED && kind != SignalKind.UNRECOGNIZED, "is required");
        v.require("subject.type", request.getSubject().getType() != SubjectType.SUBJECT_TYPE_UNSPECIFIED
                && request.getSubject().getType() != SubjectType.UNRECOGNIZED, "is required");
        v.require("subject.id", !request.getSubject().getId().isBlank() && request.getSubject().getId().length() <= 200,
                "is required (at most 200 characters)");
        v.require("jurisdiction.code", Jurisdiction.isValid(request.getJurisdiction().getCode()),
                "must be \"national\" or a province-level GB/T 2260 code");
        v.require("evidence_ids", request.getEvidenceIdsCount() <= 100, "at most 100");
        for (int i = 0; i < request.getMeasurementsCount(); i++) {
            Measurement m = request.getMeasurements(i);
            v.require("measurements[" + i + "].name", !m.getName().isBlank(), "is required");
            v.require("measurements[" + i + "].value", isDecimal(m.getValue()), "must be a decimal number");
        }
        for (String name : REQUIRED_MEASUREMENT.getOrDefault(kind, new String[0])) {
            v.require("measurements", request.getMeasurementsList().stream().anyMatch(m -> m.getName().equals(name)),
                    "a " + kind.name() + " signal needs the measurement " + name);
        }
        for (String fact : REQUIRED_FACTS.getOrDefault(kind, new String[0])) {
            v.require("facts", !request.getFactsOrDefault(fact, "").isBlank(),
                    "a " + kind.name() + " signal needs the fact " + fact);
        }
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.SIGNAL_RAISE, Jurisdiction.of(request.getJurisdiction().getCode()));
        java.util.List<String> raised = new java.util.ArrayList<>();
        return idempotency.once(caller.subject(), "signal.raise", request.getRequestId(), request,
                RaiseSignalResponse.parser(), () -> signals.raise(caller, request, raised))
                .invoke(r -> {
                    // counted once committed (the operators' dashboard: alerts raised by rule)
                    if (!r.replayed()) {
                        raised.forEach(rule -> meters.counter("enforcement_alerts_raised_total", "rule", rule).increment());
                    }
                })
                .map(r -> r.replayed() ? r.response().toBuilder().setDuplicate(true).build() : r.response());
    }

    private static boolean isDecimal(String value) {
        try {
            new BigDecimal(value);
            return value.length() <= 40;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
