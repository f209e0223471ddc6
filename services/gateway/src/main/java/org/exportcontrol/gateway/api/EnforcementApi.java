package org.exportcontrol.gateway.api;

import static org.exportcontrol.gateway.api.Rpc.params;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.gateway.backend.AlertPages;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Alerts, joint cases with department tasks, directives, the published rule set (enforcement-coordination). */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "enforcement")
public class EnforcementApi {

    static final String KEY = LicensingApi.KEY;

    @Inject
    Rpc rpc;

    @GET
    @Path("/alerts")
    @Operation(summary = "Alerts in the caller's jurisdiction", description = "ListAlerts; state e.g. ALERT_STATE_OPEN."
            + " Pages of up to 100 alerts may be up to a second old (changes made through the gateway show at once);"
            + " send Cache-Control: no-cache for an answer fresh from enforcement-coordination.")
    public Uni<String> listAlerts(@QueryParam("state") String state, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken, @HeaderParam("Cache-Control") String cacheControl) {
        boolean fresh = AlertPages.noCache(cacheControl);
        return rpc.readJson(ListAlertsRequest.newBuilder(), params("state", state, "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListAlertsRequest r) -> rpc.alertPages().list(c, r, fresh).map(AlertPages.Page::json));
    }

    @GET
    @Path("/alerts/{id}")
    @Operation(summary = "One alert: rule, rule-set version, evidence", description = "GetAlert")
    public Uni<String> getAlert(@PathParam("id") String id) {
        return rpc.read(GetAlertRequest.newBuilder(), params("id", id),
                (Caller c, GetAlertRequest r) -> rpc.backends().alerts(c).getAlert(r));
    }

    @POST
    @Path("/alerts/{id}/dismiss")
    @Operation(summary = "Dismiss an alert with a reason", description = "DismissAlert; body: reason")
    public Uni<String> dismissAlert(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, DismissAlertRequest.newBuilder(), params("id", id), key,
                (Caller c, DismissAlertRequest r) -> rpc.backends().alerts(c).dismissAlert(r));
    }

    @GET
    @Path("/cases")
    @Operation(summary = "Joint cases in the caller's jurisdiction", description = "ListCases; state e.g. CASE_STATE_OPEN")
    public Uni<String> listCases(@QueryParam("state") String state, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListCasesRequest.newBuilder(), params("state", state, "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListCasesRequest r) -> rpc.backends().cases(c).listCases(r));
    }

    @POST
    @Path("/cases")
    @Operation(summary = "Open a joint case from an alert", description = "OpenCase; body: alertId, title, leadDepartment, participatingDepartments")
    public Uni<String> openCase(String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, OpenCaseRequest.newBuilder(), params(), key,
                (Caller c, OpenCaseRequest r) -> rpc.backends().cases(c).openCase(r));
    }

    @GET
    @Path("/cases/{id}")
    @Operation(summary = "One case with its tasks, notes and outcome", description = "GetCase")
    public Uni<String> getCase(@PathParam("id") String id) {
        return rpc.read(GetCaseRequest.newBuilder(), params("id", id),
                (Caller c, GetCaseRequest r) -> rpc.backends().cases(c).getCase(r));
    }

    @POST
    @Path("/cases/{id}/tasks")
    @Operation(summary = "Give a department a task with a due date", description = "AssignTask; body: department, description, dueAt")
    public Uni<String> assignTask(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, AssignTaskRequest.newBuilder(), params("case_id", id), key,
                (Caller c, AssignTaskRequest r) -> rpc.backends().cases(c).assignTask(r));
    }

    @POST
    @Path("/cases/{id}/tasks/{taskId}/complete")
    @Operation(summary = "Complete a task with its result", description = "CompleteTask; body: result")
    public Uni<String> completeTask(@PathParam("id") String id, @PathParam("taskId") String taskId, String body,
            @HeaderParam(KEY) String key) {
        return rpc.write(body, CompleteTaskRequest.newBuilder(), params("case_id", id, "task_id", taskId), key,
                (Caller c, CompleteTaskRequest r) -> rpc.backends().cases(c).completeTask(r));
    }

    @POST
    @Path("/cases/{id}/notes")
    @Operation(summary = "Add a note (with evidence ids) to a case", description = "AddCaseNote; body: text, evidenceIds")
    public Uni<String> addNote(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, AddCaseNoteRequest.newBuilder(), params("case_id", id), key,
                (Caller c, AddCaseNoteRequest r) -> rpc.backends().cases(c).addCaseNote(r));
    }

    @GET
    @Path("/directives")
    @Operation(summary = "Directives the caller's level issued or that target it, with progress per target", description = "ListDirectives")
    public Uni<String> listDirectives(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListDirectivesRequest.newBuilder(), params("page_size", pageSize, "page_token", pageToken),
                (Caller c, ListDirectivesRequest r) -> rpc.backends().directives(c).listDirectives(r));
    }

    @POST
    @Path("/directives")
    @Operation(summary = "Issue a directive down the chain", description = "IssueDirective; body: title, body, dueAt, targets")
    public Uni<String> issueDirective(String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, IssueDirectiveRequest.newBuilder(), params(), key,
                (Caller c, IssueDirectiveRequest r) -> rpc.backends().directives(c).issueDirective(r));
    }

    @GET
    @Path("/directives/{id}")
    @Operation(summary = "One directive with progress per target", description = "GetDirective")
    public Uni<String> getDirective(@PathParam("id") String id) {
        return rpc.read(GetDirectiveRequest.newBuilder(), params("id", id),
                (Caller c, GetDirectiveRequest r) -> rpc.backends().directives(c).getDirective(r));
    }

    @POST
    @Path("/directives/{id}/acknowledge")
    @Operation(summary = "A target acknowledges a directive", description = "AcknowledgeDirective")
    public Uni<String> acknowledgeDirective(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, AcknowledgeDirectiveRequest.newBuilder(), params("directive_id", id), key,
                (Caller c, AcknowledgeDirectiveRequest r) -> rpc.backends().directives(c).acknowledgeDirective(r));
    }

    @POST
    @Path("/directives/{id}/completion")
    @Operation(summary = "A target reports completion", description = "ReportDirectiveCompletion; body: report")
    public Uni<String> reportCompletion(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, ReportDirectiveCompletionRequest.newBuilder(), params("directive_id", id), key,
                (Caller c, ReportDirectiveCompletionRequest r) -> rpc.backends().directives(c).reportDirectiveCompletion(r));
    }

    @GET
    @Path("/rule-set")
    @Operation(summary = "The published rule set (latest, or a version)", description = "GetRuleSet")
    public Uni<String> ruleSet(@QueryParam("version") String version) {
        return rpc.read(GetRuleSetRequest.newBuilder(), params("version", version),
                (Caller c, GetRuleSetRequest r) -> rpc.backends().rules(c).getRuleSet(r));
    }
}
