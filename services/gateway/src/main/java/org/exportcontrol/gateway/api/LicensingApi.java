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
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Licence applications and their review, licences, enterprises and the control list (licensing service). */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "licensing")
public class LicensingApi {

    static final String KEY = "Idempotency-Key";

    @Inject
    Rpc rpc;

    @GET
    @Path("/applications")
    @Operation(summary = "Applications in the caller's jurisdiction (exporters: their enterprise's)", description = "ListApplications; state e.g. APPLICATION_STATE_SUBMITTED")
    public Uni<String> listApplications(@QueryParam("state") String state, @QueryParam("overdueOnly") String overdueOnly,
            @QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListApplicationsRequest.newBuilder(), params("state", state, "overdue_only", overdueOnly,
                "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListApplicationsRequest r) -> rpc.backends().applications(c).listApplications(r));
    }

    @GET
    @Path("/applications/{id}")
    @Operation(summary = "One application with its review history", description = "GetApplication")
    public Uni<String> getApplication(@PathParam("id") String id) {
        return rpc.read(GetApplicationRequest.newBuilder(), params("id", id),
                (Caller c, GetApplicationRequest r) -> rpc.backends().applications(c).getApplication(r));
    }

    @POST
    @Path("/applications")
    @Operation(summary = "Create a draft application", description = "CreateApplication; body: CreateApplicationRequest")
    public Uni<String> createApplication(String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, CreateApplicationRequest.newBuilder(), params(), key,
                (Caller c, CreateApplicationRequest r) -> rpc.backends().applications(c).createApplication(r));
    }

    @POST
    @Path("/applications/{id}/submit")
    @Operation(summary = "Submit a draft for review", description = "SubmitApplication")
    public Uni<String> submit(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, SubmitApplicationRequest.newBuilder(), params("id", id), key,
                (Caller c, SubmitApplicationRequest r) -> rpc.backends().applications(c).submitApplication(r));
    }

    @POST
    @Path("/applications/{id}/provincial-review")
    @Operation(summary = "The exporter's province reviews", description = "ReviewApplicationProvincially; body: decision, reasons")
    public Uni<String> reviewProvincially(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, ReviewApplicationProvinciallyRequest.newBuilder(), params("id", id), key,
                (Caller c, ReviewApplicationProvinciallyRequest r) -> rpc.backends().applications(c).reviewApplicationProvincially(r));
    }

    @POST
    @Path("/applications/{id}/information-requests")
    @Operation(summary = "Ask the exporter for information (stops the review clock)", description = "RequestInformation; body: question")
    public Uni<String> requestInformation(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, RequestInformationRequest.newBuilder(), params("id", id), key,
                (Caller c, RequestInformationRequest r) -> rpc.backends().applications(c).requestInformation(r));
    }

    @POST
    @Path("/applications/{id}/information-answer")
    @Operation(summary = "The exporter answers the open request for information", description = "AnswerInformationRequest; body: answer")
    public Uni<String> answerInformation(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, AnswerInformationRequestRequest.newBuilder(), params("id", id), key,
                (Caller c, AnswerInformationRequestRequest r) -> rpc.backends().applications(c).answerInformationRequest(r));
    }

    @POST
    @Path("/applications/{id}/consultations")
    @Operation(summary = "Consult national departments", description = "RequestConsultation; body: departments")
    public Uni<String> consult(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, RequestConsultationRequest.newBuilder(), params("id", id), key,
                (Caller c, RequestConsultationRequest r) -> rpc.backends().applications(c).requestConsultation(r));
    }

    @POST
    @Path("/applications/{id}/advice")
    @Operation(summary = "A consulted department gives its advice", description = "GiveConsultationAdvice; body: advice, reasons")
    public Uni<String> advise(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, GiveConsultationAdviceRequest.newBuilder(), params("id", id), key,
                (Caller c, GiveConsultationAdviceRequest r) -> rpc.backends().applications(c).giveConsultationAdvice(r));
    }

    @POST
    @Path("/applications/{id}/decision")
    @Operation(summary = "The national decision (issues the licence when approved)", description = "DecideApplication; body: decision, reasons")
    public Uni<String> decide(@PathParam("id") String id, String body, @HeaderParam(KEY) String key) {
        return rpc.write(body, DecideApplicationRequest.newBuilder(), params("id", id), key,
                (Caller c, DecideApplicationRequest r) -> rpc.backends().applications(c).decideApplication(r));
    }

    @GET
    @Path("/licences")
    @Operation(summary = "Licences with their balances", description = "ListLicences")
    public Uni<String> listLicences(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListLicencesRequest.newBuilder(), params("page_size", pageSize, "page_token", pageToken),
                (Caller c, ListLicencesRequest r) -> rpc.backends().licences(c).listLicences(r));
    }

    @GET
    @Path("/licences/{number}")
    @Operation(summary = "One licence with its balance and usage", description = "GetLicence")
    public Uni<String> getLicence(@PathParam("number") String number) {
        return rpc.read(GetLicenceRequest.newBuilder(), params("number", number),
                (Caller c, GetLicenceRequest r) -> rpc.backends().licences(c).getLicence(r));
    }

    @GET
    @Path("/enterprises")
    @Operation(summary = "Enterprises in the caller's jurisdiction", description = "ListEnterprises")
    public Uni<String> listEnterprises(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListEnterprisesRequest.newBuilder(), params("page_size", pageSize, "page_token", pageToken),
                (Caller c, ListEnterprisesRequest r) -> rpc.backends().enterprises(c).listEnterprises(r));
    }

    @GET
    @Path("/control-items")
    @Operation(summary = "The control list", description = "ListControlItems")
    public Uni<String> listControlItems(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListControlItemsRequest.newBuilder(), params("page_size", pageSize, "page_token", pageToken),
                (Caller c, ListControlItemsRequest r) -> rpc.backends().controlList(c).listControlItems(r));
    }
}
