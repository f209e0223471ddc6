package org.exportcontrol.enforcement.grpc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.service.Directives;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link Directives}. */
@GrpcService
@Authenticated
public class DirectiveGrpcService implements org.exportcontrol.api.enforcement.v1.DirectiveService {

    private static final String LIST = "directives";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    Directives directives;

    @Override
    public Uni<IssueDirectiveResponse> issueDirective(IssueDirectiveRequest request) {
        access.require(EnforcementAction.DIRECTIVE_ISSUE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("title", !request.getTitle().isBlank() && request.getTitle().length() <= 500,
                "is required (at most 500 characters)");
        v.require("body", !request.getBody().isBlank() && request.getBody().length() <= 20000,
                "is required (at most 20000 characters)");
        v.require("targets", request.getTargetsCount() > 0 && request.getTargetsCount() <= 200, "1 to 200 targets");
        List<Directives.Target> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.getTargetsCount(); i++) {
            DirectiveTarget t = request.getTargets(i);
            boolean valid = Jurisdiction.isValid(t.getJurisdiction().getCode()) && t.getDepartment() != Department.UNRECOGNIZED;
            v.require("targets[" + i + "].jurisdiction.code", valid, "must be a jurisdiction (and a known department)");
            v.require("targets[" + i + "]", seen.add(t.getJurisdiction().getCode() + "/" + t.getDepartment()), "is repeated");
            if (valid) {
                targets.add(new Directives.Target(Jurisdiction.of(t.getJurisdiction().getCode()), t.getDepartment()));
            }
        }
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.DIRECTIVE_ISSUE);
        return idempotency.once(caller.subject(), "directive.issue", request.getRequestId(), request,
                IssueDirectiveResponse.parser(),
                () -> directives.issue(caller, request.getTitle(), request.getBody(),
                        request.hasDueAt() ? Timestamps.toInstant(request.getDueAt()) : null, targets,
                        request.getRequestId()).map(d -> IssueDirectiveResponse.newBuilder().setDirective(d).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<GetDirectiveResponse> getDirective(GetDirectiveRequest request) {
        Caller caller = access.require(EnforcementAction.DIRECTIVE_READ);
        return directives.get(caller, request.getId()).map(d -> GetDirectiveResponse.newBuilder().setDirective(d).build());
    }

    @Override
    @WithSession
    public Uni<ListDirectivesResponse> listDirectives(ListDirectivesRequest request) {
        Caller caller = access.require(EnforcementAction.DIRECTIVE_READ);
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(LIST, request.getPageToken(), 0L);
        return directives.list(caller, after, size).map(page -> {
            ListDirectivesResponse.Builder b = ListDirectivesResponse.newBuilder().addAllDirectives(page.directives());
            if (page.more()) {
                b.setNextPageToken(Paging.token(LIST, String.valueOf(page.lastSeq())));
            }
            return b.build();
        });
    }

    @Override
    public Uni<AcknowledgeDirectiveResponse> acknowledgeDirective(AcknowledgeDirectiveRequest request) {
        access.require(EnforcementAction.DIRECTIVE_RESPOND); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("directive_id", !request.getDirectiveId().isBlank(), "is required");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.DIRECTIVE_RESPOND);
        return idempotency.once(caller.subject(), "directive.acknowledge", request.getRequestId(), request,
                AcknowledgeDirectiveResponse.parser(),
                () -> directives.respond(caller, request.getDirectiveId(), false, "", request.getRequestId())
                        .map(d -> AcknowledgeDirectiveResponse.newBuilder().setDirective(d).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<ReportDirectiveCompletionResponse> reportDirectiveCompletion(ReportDirectiveCompletionRequest request) {
        access.require(EnforcementAction.DIRECTIVE_RESPOND); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("directive_id", !request.getDirectiveId().isBlank(), "is required");
        v.require("report", !request.getReport().isBlank() && request.getReport().length() <= 8000,
                "is required (at most 8000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(EnforcementAction.DIRECTIVE_RESPOND);
        return idempotency.once(caller.subject(), "directive.complete", request.getRequestId(), request,
                ReportDirectiveCompletionResponse.parser(),
                () -> directives.respond(caller, request.getDirectiveId(), true, request.getReport(), request.getRequestId())
                        .map(d -> ReportDirectiveCompletionResponse.newBuilder().setDirective(d).build()))
                .map(Idempotency.Result::response);
    }
}
