package org.exportcontrol.enforcement.grpc;

import java.time.Instant;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.service.Cases;
import org.exportcontrol.enforcement.service.Departments;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link Cases}. */
@GrpcService
@Authenticated
public class CaseGrpcService implements org.exportcontrol.api.enforcement.v1.CaseService {

    private static final String LIST = "cases";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    Cases cases;

    @Override
    public Uni<OpenCaseResponse> openCase(OpenCaseRequest request) {
        access.require(EnforcementAction.CASE_OPEN); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("alert_id", !request.getAlertId().isBlank(), "is required");
        v.require("title", request.getTitle().length() <= 500, "at most 500 characters");
        v.require("lead_department", Departments.isDepartment(request.getLeadDepartment()), "is required");
        for (Department d : request.getParticipatingDepartmentsList()) {
            v.require("participating_departments", Departments.isDepartment(d), "must name departments");
        }
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_OPEN);
        return idempotency.once(caller.subject(), "case.open", request.getRequestId(), request, OpenCaseResponse.parser(),
                () -> cases.open(caller, request.getAlertId(), request.getTitle(), request.getLeadDepartment(),
                        request.getParticipatingDepartmentsList(), request.getRequestId())
                        .map(c -> OpenCaseResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<GetCaseResponse> getCase(GetCaseRequest request) {
        Caller caller = access.require(EnforcementAction.CASE_READ);
        return cases.get(caller, request.getId()).map(c -> GetCaseResponse.newBuilder().setCase(c).build());
    }

    @Override
    @WithSession
    public Uni<ListCasesResponse> listCases(ListCasesRequest request) {
        access.require(EnforcementAction.CASE_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation();
        v.require("state", request.getState() != CaseState.UNRECOGNIZED, "is not a case state");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_READ);
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(LIST, request.getPageToken(), 0L);
        return cases.list(caller, request.getState(), after, size + 1).flatMap(list -> cases
                .protos(list.subList(0, Math.min(size, list.size()))).map(protos -> {
                    ListCasesResponse.Builder b = ListCasesResponse.newBuilder().addAllCases(protos);
                    if (list.size() > size) {
                        b.setNextPageToken(Paging.token(LIST, String.valueOf(list.get(size - 1).seq)));
                    }
                    return b.build();
                }));
    }

    @Override
    public Uni<AssignTaskResponse> assignTask(AssignTaskRequest request) {
        access.require(EnforcementAction.CASE_WORK); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("department", Departments.isDepartment(request.getDepartment()), "is required");
        v.require("description", !request.getDescription().isBlank() && request.getDescription().length() <= 4000,
                "is required (at most 4000 characters)");
        v.require("due_at", request.hasDueAt() && Timestamps.toInstant(request.getDueAt()).isAfter(Instant.now()),
                "is required and must be in the future");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_WORK);
        return idempotency.once(caller.subject(), "case.assign-task", request.getRequestId(), request,
                AssignTaskResponse.parser(),
                () -> cases.assignTask(caller, request.getCaseId(), request.getDepartment(), request.getDescription(),
                        Timestamps.toInstant(request.getDueAt()), request.getRequestId())
                        .map(a -> AssignTaskResponse.newBuilder().setCase(a.kase()).setTaskId(a.taskId()).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<CompleteTaskResponse> completeTask(CompleteTaskRequest request) {
        access.require(EnforcementAction.TASK_COMPLETE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("task_id", !request.getTaskId().isBlank(), "is required");
        v.require("result", !request.getResult().isBlank() && request.getResult().length() <= 4000,
                "is required (at most 4000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.TASK_COMPLETE);
        return idempotency.once(caller.subject(), "case.complete-task", request.getRequestId(), request,
                CompleteTaskResponse.parser(),
                () -> cases.completeTask(caller, request.getCaseId(), request.getTaskId(), request.getResult(),
                        request.getRequestId()).map(c -> CompleteTaskResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<AddCaseNoteResponse> addCaseNote(AddCaseNoteRequest request) {
        access.require(EnforcementAction.CASE_WORK); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("text", !request.getText().isBlank() && request.getText().length() <= 8000,
                "is required (at most 8000 characters)");
        v.require("evidence_ids", request.getEvidenceIdsCount() <= 100, "at most 100");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_WORK);
        return idempotency.once(caller.subject(), "case.add-note", request.getRequestId(), request,
                AddCaseNoteResponse.parser(),
                () -> cases.addNote(caller, request.getCaseId(), request.getText(), request.getEvidenceIdsList(),
                        request.getRequestId()).map(c -> AddCaseNoteResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<RecordOutcomeResponse> recordOutcome(RecordOutcomeRequest request) {
        access.require(EnforcementAction.CASE_WORK); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        CaseOutcome o = request.getOutcome();
        v.require("outcome", request.hasOutcome(), "is required");
        if (o.hasSeizedQuantity()) {
            v.positiveDecimal("outcome.seized_quantity.value", o.getSeizedQuantity().getValue());
        }
        if (o.hasFine()) {
            v.positiveDecimal("outcome.fine.amount", o.getFine().getAmount());
            v.require("outcome.fine.currency_code", o.getFine().getCurrencyCode().matches("[A-Z]{3}"),
                    "must be an ISO 4217 code");
        }
        v.require("outcome.summary", o.getSummary().length() <= 4000, "at most 4000 characters");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_WORK);
        return idempotency.once(caller.subject(), "case.record-outcome", request.getRequestId(), request,
                RecordOutcomeResponse.parser(),
                () -> cases.recordOutcome(caller, request.getCaseId(), o, request.getRequestId())
                        .map(c -> RecordOutcomeResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<ProposeClosingResponse> proposeClosing(ProposeClosingRequest request) {
        access.require(EnforcementAction.CASE_WORK); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("reason", !request.getReason().isBlank() && request.getReason().length() <= 4000,
                "is required (at most 4000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_WORK);
        return idempotency.once(caller.subject(), "case.propose-closing", request.getRequestId(), request,
                ProposeClosingResponse.parser(),
                () -> cases.proposeClosing(caller, request.getCaseId(), request.getReason(), request.getRequestId())
                        .map(c -> ProposeClosingResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<DecideClosingResponse> decideClosing(DecideClosingRequest request) {
        access.require(EnforcementAction.CASE_DECIDE_CLOSING); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("case_id", !request.getCaseId().isBlank(), "is required");
        v.require("reason", request.getReason().length() <= 4000, "at most 4000 characters");
        v.require("reason", request.getApprove() || !request.getReason().isBlank(), "is required to refuse");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.CASE_DECIDE_CLOSING);
        return idempotency.once(caller.subject(), "case.decide-closing", request.getRequestId(), request,
                DecideClosingResponse.parser(),
                () -> cases.decideClosing(caller, request.getCaseId(), request.getApprove(), request.getReason(),
                        request.getRequestId()).map(c -> DecideClosingResponse.newBuilder().setCase(c).build()))
                .map(Idempotency.Result::response);
    }
}
