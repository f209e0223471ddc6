package org.exportcontrol.licensing.grpc;

import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.service.ApplicationService;
import org.exportcontrol.licensing.service.ContentRules;
import org.exportcontrol.licensing.service.Scopes;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter: validates the request, checks the role, runs the step once per request id. */
@GrpcService
@Authenticated
public class ApplicationGrpcService implements org.exportcontrol.api.licensing.v1.ApplicationService {

    private static final String LIST = "applications";
    private static final int MAX_TEXT = 4000;

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    ApplicationService applications;
    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Override
    public Uni<CreateApplicationResponse> createApplication(CreateApplicationRequest request) {
        access.require(LicensingAction.APPLICATION_PREPARE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        ContentRules.format(request.getContent(), v);
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_PREPARE);
        return once(caller, "application.create", request, CreateApplicationResponse.parser(),
                () -> applications.create(caller, request.getContent(), request.getRequestId()),
                a -> CreateApplicationResponse.newBuilder().setApplication(a).build());
    }

    @Override
    @WithSession
    public Uni<GetApplicationResponse> getApplication(GetApplicationRequest request) {
        Caller caller = access.require(LicensingAction.APPLICATION_READ);
        return applications.get(caller, request.getId())
                .map(a -> GetApplicationResponse.newBuilder().setApplication(a).build());
    }

    @Override
    @WithSession
    public Uni<ListApplicationsResponse> listApplications(ListApplicationsRequest request) {
        Caller caller = access.require(LicensingAction.APPLICATION_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(LIST, request.getPageToken());
        if (request.getState() == ApplicationState.UNRECOGNIZED) {
            throw org.exportcontrol.platform.error.ApiErrors.invalidArgument("state", "is not an application state");
        }
        return applications.list(caller, after == null ? "" : after, size + 1, request.getState(), request.getOverdueOnly())
                .map(list -> {
                    ListApplicationsResponse.Builder b = ListApplicationsResponse.newBuilder();
                    list.stream().limit(size).forEach(b::addApplications);
                    if (list.size() > size) {
                        b.setNextPageToken(Paging.token(LIST, list.get(size - 1).getId()));
                    }
                    return b.build();
                });
    }

    @Override
    public Uni<SubmitApplicationResponse> submitApplication(SubmitApplicationRequest request) {
        access.require(LicensingAction.APPLICATION_PREPARE); // role before input: no field errors for a caller without it
        validate(request.getRequestId(), request.getId());
        Caller caller = access.require(LicensingAction.APPLICATION_PREPARE);
        return once(caller, "application.submit", request, SubmitApplicationResponse.parser(),
                () -> applications.submit(caller, request.getId(), request.getRequestId()),
                a -> SubmitApplicationResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<ReviewApplicationProvinciallyResponse> reviewApplicationProvincially(ReviewApplicationProvinciallyRequest request) {
        access.require(LicensingAction.APPLICATION_REVIEW_PROVINCIAL); // role before input: no field errors for a caller without it
        Validation v = ids(request.getRequestId(), request.getId());
        decision(v, request.getDecision(), request.getReasons());
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_REVIEW_PROVINCIAL);
        return once(caller, "application.review-provincially", request, ReviewApplicationProvinciallyResponse.parser(),
                () -> applications.reviewProvincially(caller, request.getId(), request.getDecision(), request.getReasons(),
                        request.getRequestId()),
                a -> ReviewApplicationProvinciallyResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<RequestInformationResponse> requestInformation(RequestInformationRequest request) {
        access.require(LicensingAction.APPLICATION_REQUEST_INFORMATION); // role before input: no field errors for a caller without it
        Validation v = ids(request.getRequestId(), request.getId());
        text(v, "question", request.getQuestion(), true);
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_REQUEST_INFORMATION);
        return once(caller, "application.request-information", request, RequestInformationResponse.parser(),
                () -> applications.requestInformation(caller, request.getId(), request.getQuestion(), request.getRequestId()),
                a -> RequestInformationResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<AnswerInformationRequestResponse> answerInformationRequest(AnswerInformationRequestRequest request) {
        access.require(LicensingAction.APPLICATION_PREPARE); // role before input: no field errors for a caller without it
        Validation v = ids(request.getRequestId(), request.getId());
        text(v, "answer", request.getAnswer(), true);
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_PREPARE);
        return once(caller, "application.answer-information", request, AnswerInformationRequestResponse.parser(),
                () -> applications.answerInformationRequest(caller, request.getId(), request.getAnswer(), request.getRequestId()),
                a -> AnswerInformationRequestResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<RequestConsultationResponse> requestConsultation(RequestConsultationRequest request) {
        Scopes.national(access.caller(), LicensingAction.APPLICATION_CONSULT); // role and level before input
        Validation v = ids(request.getRequestId(), request.getId());
        v.require("departments", request.getDepartmentsCount() > 0, "must name at least one department");
        for (int i = 0; i < request.getDepartmentsCount(); i++) {
            Department d = request.getDepartments(i);
            v.require("departments[" + i + "]", d != Department.DEPARTMENT_UNSPECIFIED && d != Department.UNRECOGNIZED
                    && d != Department.DEPARTMENT_COORDINATION_OFFICE, "must be a department that gives advice");
        }
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_CONSULT);
        return once(caller, "application.request-consultation", request, RequestConsultationResponse.parser(),
                () -> applications.requestConsultation(caller, request.getId(), request.getDepartmentsList(),
                        request.getRequestId()),
                a -> RequestConsultationResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<GiveConsultationAdviceResponse> giveConsultationAdvice(GiveConsultationAdviceRequest request) {
        Scopes.national(access.caller(), LicensingAction.APPLICATION_ADVISE); // role and level before input
        Validation v = ids(request.getRequestId(), request.getId());
        v.require("advice", request.getAdvice() != Advice.ADVICE_UNSPECIFIED && request.getAdvice() != Advice.UNRECOGNIZED,
                "must be approve, approve with proviso or refuse");
        text(v, "reasons", request.getReasons(), request.getAdvice() != Advice.ADVICE_APPROVE);
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_ADVISE);
        return once(caller, "application.advise", request, GiveConsultationAdviceResponse.parser(),
                () -> applications.giveAdvice(caller, request.getId(), request.getAdvice(), request.getReasons(),
                        request.getRequestId()),
                a -> GiveConsultationAdviceResponse.newBuilder().setApplication(a).build());
    }

    @Override
    public Uni<DecideApplicationResponse> decideApplication(DecideApplicationRequest request) {
        Scopes.national(access.caller(), LicensingAction.APPLICATION_DECIDE); // role and level before input
        Validation v = ids(request.getRequestId(), request.getId());
        decision(v, request.getDecision(), request.getReasons());
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.APPLICATION_DECIDE);
        return idempotency.once(caller.subject(), "application.decide", request.getRequestId(), request,
                DecideApplicationResponse.parser(), () -> applications.decide(caller, request.getId(),
                        request.getDecision(), request.getReasons(), request.getRequestId())
                        .map(a -> DecideApplicationResponse.newBuilder().setApplication(a).build()))
                .invoke(r -> {
                    // counted once committed (the operators' dashboard: licence decisions)
                    if (!r.replayed()) {
                        meters.counter("licensing_decisions_total", "decision",
                                request.getDecision() == Decision.DECISION_APPROVE ? "approve" : "refuse").increment();
                    }
                })
                .map(Idempotency.Result::response);
    }

    /** Runs one review step once per request id; a repeat returns the first answer. */
    private <R extends Message> Uni<R> once(Caller caller, String operation, Message request, Parser<R> parser,
            Supplier<Uni<Application>> step, Function<Application, R> wrap) {
        String requestId = (String) request.getField(request.getDescriptorForType().findFieldByName("request_id"));
        return idempotency.once(caller.subject(), operation, requestId, request, parser, () -> step.get().map(wrap))
                .map(Idempotency.Result::response);
    }

    private static void validate(String requestId, String id) {
        ids(requestId, id).throwIfInvalid();
    }

    private static Validation ids(String requestId, String id) {
        return new Validation().requestId("request_id", requestId)
                .require("id", id.matches("APP-\\d{4}-\\d{6,}"), "must be an application id such as APP-2026-000001");
    }

    private static void decision(Validation v, Decision decision, String reasons) {
        v.require("decision", decision == Decision.DECISION_APPROVE || decision == Decision.DECISION_REFUSE,
                "must be DECISION_APPROVE or DECISION_REFUSE");
        text(v, "reasons", reasons, decision == Decision.DECISION_REFUSE);
    }

    private static void text(Validation v, String field, String value, boolean required) {
        if (required) {
            v.require(field, !value.isBlank(), "is required");
        }
        v.require(field, value.length() <= MAX_TEXT, "must be at most " + MAX_TEXT + " characters");
    }
}
