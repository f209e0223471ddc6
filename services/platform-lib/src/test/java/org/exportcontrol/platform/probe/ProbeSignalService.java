package org.exportcontrol.platform.probe;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.RaiseSignalResponse;
import org.exportcontrol.api.enforcement.v1.SignalService;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.opentelemetry.api.trace.Span;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * A test-only service shaped like a real mutating RPC: validate, check access for the request's
 * jurisdiction, then, once per request id and in one transaction, audit the change and queue a
 * message for another service through the outbox.
 */
@GrpcService
@Authenticated
public class ProbeSignalService implements SignalService {

    public static final String RECEIVER = "test-receiver";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog auditLog;
    @Inject
    Outbox outbox;

    /** The trace id the last call arrived with, for the trace propagation test. */
    static volatile String lastTraceId;

    @Override
    public Uni<RaiseSignalResponse> raiseSignal(RaiseSignalRequest request) {
        lastTraceId = Span.current().getSpanContext().getTraceId();
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("jurisdiction.code", Jurisdiction.isValid(request.getJurisdiction().getCode()),
                "must be \"national\" or a GB/T 2260 province-level code");
        v.require("subject.id", !request.getSubject().getId().isBlank(), "is required");
        v.throwIfInvalid();
        Jurisdiction jurisdiction = Jurisdiction.of(request.getJurisdiction().getCode());
        Caller caller = access.require(ProbeAction.RAISE, jurisdiction);
        return idempotency.once(caller.subject(), "probe.raise", request.getRequestId(), request,
                RaiseSignalResponse.parser(),
                () -> auditLog.append(AuditRecord.of(caller, jurisdiction, "probe.raise",
                        "probe/" + request.getSubject().getId(), request.getRequestId())
                        .withDigests(null, Digests.sha256Hex(request)))
                        .chain(() -> outbox.enqueue(RECEIVER, NotifyServiceGrpc.getNotifyMethod(),
                                messageId -> NotifyRequest.newBuilder().setRequestId(messageId)
                                        .setTitle(request.getSubject().getId())
                                        .setJurisdiction(request.getJurisdiction())
                                        .build()))
                        .replaceWith(RaiseSignalResponse.getDefaultInstance()))
                .map(result -> result.replayed() ? result.response().toBuilder().setDuplicate(true).build()
                        : result.response());
    }
}
