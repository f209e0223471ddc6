package org.exportcontrol.enforcement.grpc;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.service.Alerts;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link Alerts}. */
@GrpcService
@Authenticated
public class AlertGrpcService implements org.exportcontrol.api.enforcement.v1.AlertService {

    private static final String LIST = "alerts";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    Alerts alerts;

    @Override
    public Uni<ListAlertsResponse> listAlerts(ListAlertsRequest request) {
        access.require(EnforcementAction.ALERT_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation();
        v.require("state", request.getState() != AlertState.UNRECOGNIZED, "is not an alert state");
        String jurisdiction = request.getJurisdictionCode();
        v.require("jurisdiction_code", jurisdiction.isEmpty() || Jurisdiction.isValid(jurisdiction),
                "must be empty, \"national\" or a GB/T 2260 province-level code such as 430000");
        v.require("page_size", request.getPageSize() >= 0, "must not be negative");
        v.throwIfInvalid();
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(LIST, request.getPageToken(), 0L);
        Caller caller = jurisdiction.isEmpty() ? access.require(EnforcementAction.ALERT_READ)
                : access.require(EnforcementAction.ALERT_READ, Jurisdiction.of(jurisdiction));
        // a province sees its own alerts only; national callers every jurisdiction or the one asked for
        String only = !jurisdiction.isEmpty() ? jurisdiction
                : caller.jurisdiction().isNational() ? null : caller.jurisdiction().code();
        return alerts.list(only, request.getState(), after, size + 1).map(page -> {
            ListAlertsResponse.Builder b = ListAlertsResponse.newBuilder();
            b.addAllAlerts(page.alerts().subList(0, Math.min(size, page.alerts().size())));
            if (page.alerts().size() > size) {
                b.setNextPageToken(Paging.token(LIST, String.valueOf(page.seqs().get(size - 1))));
            }
            return b.build();
        });
    }

    @Override
    @WithSession
    public Uni<GetAlertResponse> getAlert(GetAlertRequest request) {
        Caller caller = access.require(EnforcementAction.ALERT_READ);
        return alerts.find(caller, EnforcementAction.ALERT_READ, request.getId())
                .map(a -> GetAlertResponse.newBuilder().setAlert(Alerts.toProto(a)).build());
    }

    @Override
    public Uni<DismissAlertResponse> dismissAlert(DismissAlertRequest request) {
        access.require(EnforcementAction.ALERT_TRIAGE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("id", !request.getId().isBlank(), "is required");
        v.require("reason", !request.getReason().isBlank() && request.getReason().length() <= 4000,
                "is required (at most 4000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.ALERT_TRIAGE);
        return idempotency.once(caller.subject(), "alert.dismiss", request.getRequestId(), request,
                DismissAlertResponse.parser(),
                () -> alerts.dismiss(caller, request.getId(), request.getReason(), request.getRequestId())
                        .map(a -> DismissAlertResponse.newBuilder().setAlert(a).build()))
                .map(Idempotency.Result::response);
    }
}
