package org.exportcontrol.gateway.api;

import static org.exportcontrol.gateway.api.Rpc.params;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Lots and their trace, facilities and mass balance, quotas, supervision (provincial-reporting service). */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reporting")
public class ReportingApi {

    @Inject
    Rpc rpc;

    @GET
    @Path("/lots/{lotId}")
    @Operation(summary = "A lot's state: holder, place, remaining, in transit", description = "GetLot")
    public Uni<String> getLot(@PathParam("lotId") String lotId) {
        return rpc.read(GetLotRequest.newBuilder(), params("lot_id", lotId),
                (Caller c, GetLotRequest r) -> rpc.backends().chainEvents(c).getLot(r));
    }

    @GET
    @Path("/lots/{lotId}/trace")
    @Operation(summary = "A lot's trace from mine to export across splits and merges", description = "TraceLot")
    public Uni<String> traceLot(@PathParam("lotId") String lotId) {
        return rpc.read(TraceLotRequest.newBuilder(), params("lot_id", lotId),
                (Caller c, TraceLotRequest r) -> rpc.backends().chainEvents(c).traceLot(r));
    }

    @GET
    @Path("/facilities")
    @Operation(summary = "Facilities in the caller's jurisdiction", description = "ListFacilities")
    public Uni<String> listFacilities(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListFacilitiesRequest.newBuilder(), params("page_size", pageSize, "page_token", pageToken),
                (Caller c, ListFacilitiesRequest r) -> rpc.backends().facilities(c).listFacilities(r));
    }

    @GET
    @Path("/facilities/{facilityId}/mass-balance")
    @Operation(summary = "A facility's mass balance for a month (period YYYY-MM, China Standard Time)", description = "GetMassBalance")
    public Uni<String> massBalance(@PathParam("facilityId") String facilityId, @QueryParam("period") String period) {
        return rpc.read(GetMassBalanceRequest.newBuilder(), params("facility_id", facilityId, "period", period),
                (Caller c, GetMassBalanceRequest r) -> rpc.backends().facilities(c).getMassBalance(r));
    }

    @GET
    @Path("/quota-ledgers/{creditCode}")
    @Operation(summary = "An enterprise's quota ledger for a year", description = "GetQuotaLedger; kind e.g. QUOTA_KIND_MINING")
    public Uni<String> quotaLedger(@PathParam("creditCode") String creditCode, @QueryParam("year") String year,
            @QueryParam("kind") String kind) {
        return rpc.read(GetQuotaLedgerRequest.newBuilder(), params("enterprise_credit_code", creditCode, "year", year, "kind", kind),
                (Caller c, GetQuotaLedgerRequest r) -> rpc.backends().quotas(c).getQuotaLedger(r));
    }

    @GET
    @Path("/supervision-reports")
    @Operation(summary = "Monthly supervision reports (overdue ones flagged)", description = "ListSupervisionReports")
    public Uni<String> supervisionReports(@QueryParam("period") String period, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListSupervisionReportsRequest.newBuilder(), params("period", period, "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListSupervisionReportsRequest r) -> rpc.backends().supervision(c).listSupervisionReports(r));
    }

    @GET
    @Path("/compliance-reviews")
    @Operation(summary = "Compliance reviews of enterprises", description = "ListComplianceReviews")
    public Uni<String> complianceReviews(@QueryParam("creditCode") String creditCode, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListComplianceReviewsRequest.newBuilder(),
                params("enterprise_credit_code", creditCode, "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListComplianceReviewsRequest r) -> rpc.backends().supervision(c).listComplianceReviews(r));
    }

    @GET
    @Path("/export-summary")
    @Operation(summary = "Declared and exported quantities per month (CST), item and province; at most 24 months",
            description = "GetExportSummary; fromPeriod and toPeriod as YYYY-MM")
    public Uni<String> exportSummary(@QueryParam("fromPeriod") String fromPeriod, @QueryParam("toPeriod") String toPeriod,
            @QueryParam("provinceCode") String provinceCode, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        return rpc.read(GetExportSummaryRequest.newBuilder(), params("from_period", fromPeriod, "to_period", toPeriod,
                "province_code", provinceCode, "page_size", pageSize, "page_token", pageToken),
                (Caller c, GetExportSummaryRequest r) -> rpc.backends().exportStatistics(c).getExportSummary(r));
    }
}
