package org.exportcontrol.gateway.ui;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.enforcement.v1.AcknowledgeDirectiveRequest;
import org.exportcontrol.api.enforcement.v1.AssignTaskRequest;
import org.exportcontrol.api.enforcement.v1.CompleteTaskRequest;
import org.exportcontrol.api.enforcement.v1.DismissAlertRequest;
import org.exportcontrol.api.enforcement.v1.OpenCaseRequest;
import org.exportcontrol.api.enforcement.v1.ReportDirectiveCompletionRequest;
import org.exportcontrol.api.licensing.v1.AnswerInformationRequestRequest;
import org.exportcontrol.api.licensing.v1.DecideApplicationRequest;
import org.exportcontrol.api.licensing.v1.Decision;
import org.exportcontrol.api.licensing.v1.RequestInformationRequest;
import org.exportcontrol.api.licensing.v1.ReviewApplicationProvinciallyRequest;
import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemRequest;
import org.exportcontrol.gateway.admin.ProvinceOnboarding;
import org.exportcontrol.gateway.backend.AlertPages;
import org.exportcontrol.gateway.backend.Backends;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.Caller;
import org.jboss.resteasy.reactive.RestForm;

import com.google.protobuf.Timestamp;

import io.grpc.StatusRuntimeException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * The UI's form posts (CSRF-checked by quarkus-rest-csrf). Each is one gRPC call as the person;
 * the form's hidden request id makes a double submit harmless. Success redirects (303) to the
 * page of the changed thing; a refusal shows the error page with the service's reason.
 */
@Path("/")
@Authenticated
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.TEXT_HTML)
public class Actions {

    @Inject
    PageContext ctx;
    @Inject
    Backends backends;
    @Inject
    ProvinceOnboarding onboarding;
    @Inject
    AlertPages alertPages;
    @Location("admin-provinces.html")
    Template adminProvinces;

    private Uni<Response> then(Uni<?> call, String location) {
        // the next page shows the change: cached alert pages go (AlertPages)
        return call.call(alertPages::changed).map(ignored -> Response.seeOther(URI.create(location)).build())
                .onFailure().recoverWithItem(ctx::error);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument(field, "choose one of the offered values");
        }
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    @POST
    @Path("applications/{id}/provincial-review")
    @Operation(hidden = true)
    public Uni<Response> review(@PathParam("id") String id, @RestForm String requestId, @RestForm String decision,
            @RestForm String reasons) {
        Caller c = ctx.caller();
        try {
            var request = ReviewApplicationProvinciallyRequest.newBuilder().setRequestId(text(requestId)).setId(id)
                    .setDecision(parse(Decision.class, "decision", decision)).setReasons(text(reasons)).build();
            return then(backends.applications(c).reviewApplicationProvincially(request), "/applications/" + id);
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
    }

    @POST
    @Path("applications/{id}/decision")
    @Operation(hidden = true)
    public Uni<Response> decide(@PathParam("id") String id, @RestForm String requestId, @RestForm String decision,
            @RestForm String reasons) {
        Caller c = ctx.caller();
        try {
            var request = DecideApplicationRequest.newBuilder().setRequestId(text(requestId)).setId(id)
                    .setDecision(parse(Decision.class, "decision", decision)).setReasons(text(reasons)).build();
            return then(backends.applications(c).decideApplication(request), "/applications/" + id);
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
    }

    @POST
    @Path("applications/{id}/information-requests")
    @Operation(hidden = true)
    public Uni<Response> requestInformation(@PathParam("id") String id, @RestForm String requestId, @RestForm String question) {
        Caller c = ctx.caller();
        var request = RequestInformationRequest.newBuilder().setRequestId(text(requestId)).setId(id).setQuestion(text(question)).build();
        return then(backends.applications(c).requestInformation(request), "/applications/" + id);
    }

    @POST
    @Path("applications/{id}/information-answer")
    @Operation(hidden = true)
    public Uni<Response> answer(@PathParam("id") String id, @RestForm String requestId, @RestForm String answer) {
        Caller c = ctx.caller();
        var request = AnswerInformationRequestRequest.newBuilder().setRequestId(text(requestId)).setId(id).setAnswer(text(answer)).build();
        return then(backends.applications(c).answerInformationRequest(request), "/applications/" + id);
    }

    @POST
    @Path("alerts/{id}/dismiss")
    @Operation(hidden = true)
    public Uni<Response> dismiss(@PathParam("id") String id, @RestForm String requestId, @RestForm String reason) {
        Caller c = ctx.caller();
        var request = DismissAlertRequest.newBuilder().setRequestId(text(requestId)).setId(id).setReason(text(reason)).build();
        return then(backends.alerts(c).dismissAlert(request), "/alerts/" + id);
    }

    @POST
    @Path("alerts/{id}/case")
    @Operation(hidden = true)
    public Uni<Response> openCase(@PathParam("id") String id, @RestForm String requestId, @RestForm String title,
            @RestForm String leadDepartment, @RestForm List<String> participatingDepartments) {
        Caller c = ctx.caller();
        try {
            var request = OpenCaseRequest.newBuilder().setRequestId(text(requestId)).setAlertId(id).setTitle(text(title))
                    .setLeadDepartment(parse(Department.class, "leadDepartment", leadDepartment));
            for (String d : participatingDepartments == null ? List.<String>of() : participatingDepartments) {
                request.addParticipatingDepartments(parse(Department.class, "participatingDepartments", d));
            }
            return backends.cases(c).openCase(request.build()).call(alertPages::changed)
                    .map(r -> Response.seeOther(URI.create("/cases/" + r.getCase().getId())).build())
                    .onFailure().recoverWithItem(ctx::error);
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
    }

    @POST
    @Path("cases/{id}/tasks")
    @Operation(hidden = true)
    public Uni<Response> assignTask(@PathParam("id") String id, @RestForm String requestId, @RestForm String department,
            @RestForm String description, @RestForm String dueDate) {
        Caller c = ctx.caller();
        try {
            var request = AssignTaskRequest.newBuilder().setRequestId(text(requestId)).setCaseId(id)
                    .setDepartment(parse(Department.class, "department", department)).setDescription(text(description))
                    .setDueAt(endOfDayInChina("dueDate", dueDate)).build();
            return then(backends.cases(c).assignTask(request), "/cases/" + id);
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
    }

    /** A due date picked in the form is the end of that day in China Standard Time. */
    static Timestamp endOfDayInChina(String field, String date) {
        try {
            var instant = LocalDate.parse(text(date)).plusDays(1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().minusSeconds(1);
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
        } catch (DateTimeParseException e) {
            throw ApiErrors.invalidArgument(field, "a date YYYY-MM-DD");
        }
    }

    @POST
    @Path("cases/{id}/tasks/{taskId}/complete")
    @Operation(hidden = true)
    public Uni<Response> completeTask(@PathParam("id") String id, @PathParam("taskId") String taskId,
            @RestForm String requestId, @RestForm String result) {
        Caller c = ctx.caller();
        var request = CompleteTaskRequest.newBuilder().setRequestId(text(requestId)).setCaseId(id).setTaskId(taskId)
                .setResult(text(result)).build();
        return then(backends.cases(c).completeTask(request), "/cases/" + id);
    }

    @POST
    @Path("directives/{id}/acknowledge")
    @Operation(hidden = true)
    public Uni<Response> acknowledgeDirective(@PathParam("id") String id, @RestForm String requestId) {
        Caller c = ctx.caller();
        var request = AcknowledgeDirectiveRequest.newBuilder().setRequestId(text(requestId)).setDirectiveId(id).build();
        return then(backends.directives(c).acknowledgeDirective(request), "/directives/" + id);
    }

    @POST
    @Path("directives/{id}/completion")
    @Operation(hidden = true)
    public Uni<Response> completeDirective(@PathParam("id") String id, @RestForm String requestId, @RestForm String report) {
        Caller c = ctx.caller();
        var request = ReportDirectiveCompletionRequest.newBuilder().setRequestId(text(requestId)).setDirectiveId(id)
                .setReport(text(report)).build();
        return then(backends.directives(c).reportDirectiveCompletion(request), "/directives/" + id);
    }

    @POST
    @Path("inbox/{id}/acknowledge")
    @Operation(hidden = true)
    public Uni<Response> acknowledge(@PathParam("id") String id, @RestForm String requestId) {
        Caller c = ctx.caller();
        var request = AcknowledgeInboxItemRequest.newBuilder().setRequestId(text(requestId)).setNotificationId(id).build();
        return then(backends.inbox(c).acknowledgeInboxItem(request), "/inbox");
    }

    @POST
    @Path("admin/provinces")
    @Blocking
    @Operation(hidden = true)
    public Response onboard(@RestForm String code, @RestForm String name, @RestForm String supervisorUsername,
            @RestForm String supervisorEmail, @RestForm String supervisorFirstName, @RestForm String supervisorLastName) {
        Caller c = ctx.caller();
        if (!c.hasRole("national-coordinator") || !c.jurisdiction().isNational()) {
            return ctx.error(ApiErrors.permissionDenied("ROLE_NOT_ALLOWED", "only the national coordinator onboards provinces"));
        }
        try {
            var result = onboarding.onboard(c, new ProvinceOnboarding.Request(text(code), text(name), text(supervisorUsername),
                    text(supervisorEmail), text(supervisorFirstName), text(supervisorLastName)));
            // credentials are shown on this response only and never stored by the gateway
            return Response.ok(ctx.page(adminProvinces, "/admin/provinces").data("provinces", onboarding.provinces())
                    .data("result", result).data("errors", List.of()))
                    .header("Cache-Control", "no-store").build();
        } catch (StatusRuntimeException e) {
            return ctx.error(e);
        }
    }
}
