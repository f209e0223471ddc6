package org.exportcontrol.gateway.ui;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.exportcontrol.api.enforcement.v1.GetAlertRequest;
import org.exportcontrol.api.enforcement.v1.GetCaseRequest;
import org.exportcontrol.api.enforcement.v1.GetDirectiveRequest;
import org.exportcontrol.api.enforcement.v1.ListAlertsRequest;
import org.exportcontrol.api.enforcement.v1.ListCasesRequest;
import org.exportcontrol.api.licensing.v1.ApplicationState;
import org.exportcontrol.api.licensing.v1.GetApplicationRequest;
import org.exportcontrol.api.licensing.v1.ListApplicationsRequest;
import org.exportcontrol.api.licensing.v1.ListLicencesRequest;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.reporting.v1.ListComplianceReviewsRequest;
import org.exportcontrol.api.reporting.v1.ListSupervisionReportsRequest;
import org.exportcontrol.api.reporting.v1.TraceLotRequest;
import org.exportcontrol.gateway.admin.ProvinceOnboarding;
import org.exportcontrol.gateway.api.AuditApi;
import org.exportcontrol.gateway.backend.AlertPages;
import org.exportcontrol.gateway.backend.Backends;
import org.exportcontrol.gateway.backend.ProtoJson;
import org.exportcontrol.platform.security.Caller;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.MessageOrBuilder;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * The web UI's pages (server-rendered with Qute): each reads the services over gRPC as the
 * signed-in person and renders what comes back, so a page shows exactly what that person's role
 * and jurisdiction allow. Forms post to {@link Actions}.
 */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Pages {

    private static final Logger LOG = Logger.getLogger(Pages.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PageContext ctx;
    @Inject
    Backends backends;
    @Inject
    AlertPages alertPages;
    @Inject
    AuditApi audit;
    @Inject
    ProvinceOnboarding onboarding;

    @Location("dashboard.html")
    Template dashboard;
    @Location("applications.html")
    Template applications;
    @Location("application.html")
    Template application;
    @Location("licences.html")
    Template licences;
    @Location("trace.html")
    Template trace;
    @Location("alerts.html")
    Template alerts;
    @Location("alert.html")
    Template alert;
    @Location("cases.html")
    Template cases;
    @Location("case.html")
    Template caseTemplate;
    @Location("directive.html")
    Template directive;
    @Location("directives.html")
    Template directives;
    @Location("compliance.html")
    Template compliance;
    @Location("inbox.html")
    Template inbox;
    @Location("audit.html")
    Template auditTemplate;
    @Location("admin-provinces.html")
    Template adminProvinces;

    /** A page from one backend answer; a failure becomes the error page with the same status. */
    private <T extends MessageOrBuilder> Uni<Response> render(Uni<T> call, Function<T, TemplateInstance> view) {
        return call.map(answer -> Response.ok(view.apply(answer)).build())
                .onFailure().recoverWithItem(ctx::error);
    }

    /** A dashboard widget: absent (null) when the person's role does not allow it. */
    private static <T> Uni<T> optional(Uni<T> call, String widget) {
        return call.onFailure().recoverWithItem(e -> {
            if (!(e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.PERMISSION_DENIED)) {
                LOG.warnf("dashboard widget %s unavailable: %s", widget, e.toString());
            }
            return null;
        });
    }

    /** Supervision reports are monthly, due by the 10th of the next month: the dashboard shows last month's. */
    static String lastMonth() {
        return java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai")).minusMonths(1).toString();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @GET
    @Operation(hidden = true)
    public Uni<Response> dashboard() {
        Caller c = ctx.caller();
        if (c.hasRole("exporter") && c.roles().size() == 1) {
            return Uni.createFrom().item(Response.seeOther(URI.create("/applications")).build());
        }
        var alertsCall = optional(backends.alerts(c).listAlerts(ListAlertsRequest.newBuilder().setPageSize(500).build()), "alerts");
        var appsCall = optional(backends.applications(c).listApplications(ListApplicationsRequest.newBuilder().setPageSize(500).build()), "applications");
        var reportsCall = optional(backends.supervision(c).listSupervisionReports(ListSupervisionReportsRequest.newBuilder().setPeriod(lastMonth()).setPageSize(100).build()), "reports");
        var casesCall = optional(backends.cases(c).listCases(ListCasesRequest.newBuilder().setPageSize(200).build()), "cases");
        var thisMonth = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai"));
        var exportsCall = optional(backends.exportStatistics(c).getExportSummary(
                org.exportcontrol.api.reporting.v1.GetExportSummaryRequest.newBuilder()
                        .setFromPeriod(thisMonth.minusMonths(11).toString()).setToPeriod(thisMonth.toString())
                        .setPageSize(500).build()), "exports");
        var directivesCall = optional(backends.directives(c).listDirectives(
                org.exportcontrol.api.enforcement.v1.ListDirectivesRequest.newBuilder().setPageSize(100).build()), "directives");
        return Uni.combine().all().unis(alertsCall, appsCall, reportsCall, casesCall, exportsCall, directivesCall).asTuple().map(t -> {
            TemplateInstance page = ctx.page(dashboard, "/");
            if (t.getItem1() != null) {
                Map<String, Integer> byProvince = new TreeMap<>();
                t.getItem1().getAlertsList().stream().filter(a -> a.getState().name().equals("ALERT_STATE_OPEN"))
                        .forEach(a -> byProvince.merge(a.getJurisdiction().getCode(), 1, Integer::sum));
                List<String> labels = byProvince.keySet().stream()
                        .map(code -> org.exportcontrol.platform.security.Jurisdiction.parse(code)
                                .map(j -> j.displayName() + " " + code).orElse(code)).toList();
                page.data("alertChart", json(Map.of("type", "bar", "labels", labels, "values", byProvince.values(),
                        "label", Labels.label("chart.open_alerts", ctx.locale()))));
                page.data("recentAlerts", t.getItem1().getAlertsList().stream().limit(8).map(ProtoJson::map).toList());
            }
            if (t.getItem2() != null) {
                Map<String, Integer> pipeline = new LinkedHashMap<>();
                for (ApplicationState s : ApplicationState.values()) {
                    if (s != ApplicationState.APPLICATION_STATE_UNSPECIFIED && s != ApplicationState.UNRECOGNIZED) {
                        pipeline.put(Labels.label(s.name(), ctx.locale()), 0);
                    }
                }
                t.getItem2().getApplicationsList().forEach(a -> pipeline.merge(Labels.label(a.getState().name(), ctx.locale()), 1, Integer::sum));
                page.data("pipelineChart", json(Map.of("type", "bar", "labels", pipeline.keySet(), "values", pipeline.values(),
                        "label", Labels.label("chart.applications", ctx.locale()))));
            }
            if (t.getItem3() != null) {
                page.data("reports", t.getItem3().getStatusesList().stream().map(ProtoJson::map).toList());
                page.data("reportPeriod", lastMonth());
                page.data("overdueReports", t.getItem3().getStatusesList().stream().filter(s -> s.getOverdue()).count());
            }
            if (t.getItem4() != null) {
                List<Map<String, Object>> openTasks = new ArrayList<>();
                t.getItem4().getCasesList().forEach(k -> k.getTasksList().stream()
                        .filter(task -> task.getState().name().equals("TASK_STATE_OPEN"))
                        .forEach(task -> {
                            Map<String, Object> row = new LinkedHashMap<>(ProtoJson.map(task));
                            row.put("caseId", k.getId());
                            row.put("caseTitle", k.getTitle());
                            openTasks.add(row);
                        }));
                page.data("openTasks", openTasks);
            }
            if (t.getItem6() != null) {
                // open directives only: those with a target not yet completed
                page.data("openDirectives", t.getItem6().getDirectivesList().stream()
                        .filter(d -> d.getCompletedTargets() < d.getTargetsCount()).map(ProtoJson::map).toList());
            }
            if (t.getItem5() != null) {
                page.data("exportChart", json(exportSeries(t.getItem5(), thisMonth, ctx.locale())));
            }
            return Response.ok(page).build();
        });
    }

    /** Declared kilograms per item (one line each) over the last twelve months, China Standard Time. */
    static Map<String, Object> exportSeries(org.exportcontrol.api.reporting.v1.GetExportSummaryResponse summary,
            java.time.YearMonth thisMonth, java.util.Locale locale) {
        List<String> months = new ArrayList<>();
        for (int i = 11; i >= 0; i--) {
            months.add(thisMonth.minusMonths(i).toString());
        }
        Map<String, java.math.BigDecimal[]> byItem = new TreeMap<>();
        for (var row : summary.getRowsList()) {
            // kilograms and kilograms of rare-earth oxide are different measures: one line each
            String unit = row.getDeclaredQuantity().getUnit().name();
            if (!(unit.equals("QUANTITY_UNIT_KILOGRAM") || unit.equals("QUANTITY_UNIT_KILOGRAM_REO"))
                    || row.getDeclaredQuantity().getValue().isEmpty()) {
                continue;
            }
            String series = row.getItemCode() + (unit.endsWith("_REO") ? " (REO)" : "");
            int index = months.indexOf(row.getPeriod());
            if (index < 0) {
                continue;
            }
            var values = byItem.computeIfAbsent(series, k -> {
                var zeros = new java.math.BigDecimal[12];
                java.util.Arrays.fill(zeros, java.math.BigDecimal.ZERO);
                return zeros;
            });
            values[index] = values[index].add(new java.math.BigDecimal(row.getDeclaredQuantity().getValue()));
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        byItem.forEach((item, values) -> datasets.add(Map.of("label", item, "data", java.util.Arrays.stream(values)
                .map(java.math.BigDecimal::doubleValue).toList())));
        return Map.of("type", "line", "labels", months, "datasets", datasets,
                "label", Labels.label("chart.declared_kg", locale));
    }

    @GET
    @Path("applications")
    @Operation(hidden = true)
    public Uni<Response> applications(@QueryParam("state") String state, @QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        ListApplicationsRequest.Builder request = ListApplicationsRequest.newBuilder().setPageSize(50);
        try {
            ProtoJson.set(request, Map.of("state", state == null ? "" : state, "page_token", pageToken == null ? "" : pageToken));
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
        return render(backends.applications(c).listApplications(request.build()), r -> ctx.page(applications, "/applications")
                .data("items", r.getApplicationsList().stream().map(ProtoJson::map).toList())
                .data("next", r.getNextPageToken()).data("state", state == null ? "" : state)
                .data("states", List.of(ApplicationState.values()).stream()
                        .filter(s -> s != ApplicationState.UNRECOGNIZED && s != ApplicationState.APPLICATION_STATE_UNSPECIFIED)
                        .map(Enum::name).toList()));
    }

    @GET
    @Path("applications/{id}")
    @Operation(hidden = true)
    public Uni<Response> application(@PathParam("id") String id) {
        Caller c = ctx.caller();
        return render(backends.applications(c).getApplication(GetApplicationRequest.newBuilder().setId(id).build()),
                r -> ctx.page(application, "/applications").data("app", ProtoJson.map(r.getApplication()))
                        .data("canReviewProvincially", (c.hasRole("licensing-officer") || c.hasRole("licensing-reviewer"))
                                && !c.jurisdiction().isNational())
                        .data("canDecide", c.hasRole("licensing-reviewer") && c.jurisdiction().isNational())
                        .data("canRequestInformation", c.hasRole("licensing-officer") || c.hasRole("licensing-reviewer"))
                        .data("canAnswer", c.hasRole("exporter")));
    }

    @GET
    @Path("licences")
    @Operation(hidden = true)
    public Uni<Response> licences(@QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        return render(backends.licences(c).listLicences(ListLicencesRequest.newBuilder().setPageSize(100)
                .setPageToken(pageToken == null ? "" : pageToken).build()),
                r -> ctx.page(licences, "/licences").data("items", r.getLicencesList().stream().map(ProtoJson::map).toList())
                        .data("next", r.getNextPageToken()));
    }

    @GET
    @Path("trace")
    @Operation(hidden = true)
    public Uni<Response> trace(@QueryParam("lot") String lot) {
        Caller c = ctx.caller();
        if (lot == null || lot.isBlank()) {
            return Uni.createFrom().item(Response.ok(ctx.page(trace, "/trace").data("lot", "").data("result", null)).build());
        }
        return render(backends.chainEvents(c).traceLot(TraceLotRequest.newBuilder().setLotId(lot.strip()).build()),
                r -> ctx.page(trace, "/trace").data("lot", lot.strip()).data("result", traceView(r)));
    }

    /** The trace with each step's kind (the event's oneof case, e.g. EVENT_SHIPPED) for the timeline. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> traceView(org.exportcontrol.api.reporting.v1.TraceLotResponse trace) {
        Map<String, Object> view = ProtoJson.map(trace);
        List<Map<String, Object>> steps = (List<Map<String, Object>>) view.getOrDefault("steps", List.of());
        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).put("kind", "EVENT_" + trace.getSteps(i).getEvent().getPayloadCase().name());
        }
        return view;
    }

    @GET
    @Path("alerts")
    @Operation(hidden = true)
    public Uni<Response> alerts(@QueryParam("state") String state, @QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        ListAlertsRequest.Builder request = ListAlertsRequest.newBuilder().setPageSize(50);
        try {
            ProtoJson.set(request, Map.of("state", state == null ? "" : state, "page_token", pageToken == null ? "" : pageToken));
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().item(ctx.error(e));
        }
        return render(alertPages.list(c, request.build(), false).map(AlertPages.Page::response), r -> ctx.page(alerts, "/alerts")
                .data("items", r.getAlertsList().stream().map(ProtoJson::map).toList())
                .data("next", r.getNextPageToken()).data("state", state == null ? "" : state));
    }

    @GET
    @Path("alerts/{id}")
    @Operation(hidden = true)
    public Uni<Response> alert(@PathParam("id") String id) {
        Caller c = ctx.caller();
        return render(backends.alerts(c).getAlert(GetAlertRequest.newBuilder().setId(id).build()),
                r -> ctx.page(alert, "/alerts").data("alert", ProtoJson.map(r.getAlert()))
                        .data("canTriage", c.hasRole("national-coordinator") || c.hasRole("provincial-supervisor")
                                || c.hasRole("enforcement-officer"))
                        .data("canOpenCase", c.hasRole("national-coordinator") || c.hasRole("enforcement-officer")));
    }

    @GET
    @Path("cases")
    @Operation(hidden = true)
    public Uni<Response> cases(@QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        return render(backends.cases(c).listCases(ListCasesRequest.newBuilder().setPageSize(50)
                .setPageToken(pageToken == null ? "" : pageToken).build()),
                r -> ctx.page(cases, "/cases").data("items", r.getCasesList().stream().map(ProtoJson::map).toList())
                        .data("next", r.getNextPageToken()));
    }

    @GET
    @Path("cases/{id}")
    @Operation(hidden = true)
    public Uni<Response> caseDetail(@PathParam("id") String id) {
        Caller c = ctx.caller();
        return render(backends.cases(c).getCase(GetCaseRequest.newBuilder().setId(id).build()),
                r -> ctx.page(caseTemplate, "/cases").data("kase", ProtoJson.map(r.getCase()))
                        .data("canWork", c.hasRole("national-coordinator") || c.hasRole("enforcement-officer"))
                        .data("canCompleteTask", c.hasRole("department-officer") || c.hasRole("enforcement-officer")));
    }

    @GET
    @Path("directives")
    @Operation(hidden = true)
    public Uni<Response> directives(@QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        return render(backends.directives(c).listDirectives(org.exportcontrol.api.enforcement.v1.ListDirectivesRequest.newBuilder()
                .setPageSize(50).setPageToken(pageToken == null ? "" : pageToken).build()),
                r -> ctx.page(directives, "/directives").data("items", r.getDirectivesList().stream().map(ProtoJson::map).toList())
                        .data("next", r.getNextPageToken()));
    }

    @GET
    @Path("directives/{id}")
    @Operation(hidden = true)
    public Uni<Response> directive(@PathParam("id") String id) {
        Caller c = ctx.caller();
        return render(backends.directives(c).getDirective(GetDirectiveRequest.newBuilder().setId(id).build()),
                r -> ctx.page(directive, "/directives").data("directive", ProtoJson.map(r.getDirective()))
                        .data("canRespond", c.hasRole("provincial-supervisor") || c.hasRole("enforcement-officer")
                                || c.hasRole("department-officer")));
    }

    @GET
    @Path("compliance")
    @Operation(hidden = true)
    public Uni<Response> compliance() {
        Caller c = ctx.caller();
        var reviews = optional(backends.supervision(c).listComplianceReviews(ListComplianceReviewsRequest.newBuilder().setPageSize(200).build()), "reviews");
        var reports = optional(backends.supervision(c).listSupervisionReports(ListSupervisionReportsRequest.newBuilder().setPeriod(lastMonth()).setPageSize(100).build()), "reports");
        return Uni.combine().all().unis(reviews, reports).asTuple().map(t -> Response.ok(ctx.page(compliance, "/compliance")
                .data("reviews", t.getItem1() == null ? null : t.getItem1().getReviewsList().stream().map(ProtoJson::map).toList())
                .data("reports", t.getItem2() == null ? null : t.getItem2().getStatusesList().stream().map(ProtoJson::map).toList())
                .data("reportPeriod", lastMonth()))
                .build());
    }

    @GET
    @Path("inbox")
    @Operation(hidden = true)
    public Uni<Response> inbox(@QueryParam("pageToken") String pageToken) {
        Caller c = ctx.caller();
        return render(backends.inbox(c).listInboxItems(ListInboxItemsRequest.newBuilder().setPageSize(50)
                .setPageToken(pageToken == null ? "" : pageToken).build()),
                r -> ctx.page(inbox, "/inbox").data("items", r.getItemsList().stream().map(ProtoJson::map).toList())
                        .data("next", r.getNextPageToken()));
    }

    @GET
    @Path("audit")
    @Operation(hidden = true)
    public Uni<Response> audit(@QueryParam("service") String service, @QueryParam("pageToken") String pageToken) {
        String chosen = service == null || service.isBlank() ? Backends.LICENSING : service;
        List<String> services = new ArrayList<>(backends.auditChains().keySet());
        services.add(AuditApi.GATEWAY);
        return render(audit.list(chosen, null, "100", pageToken), r -> ctx.page(auditTemplate, "/audit")
                .data("service", chosen).data("services", services)
                .data("entries", r.getEntriesList().stream().map(ProtoJson::map).toList())
                .data("next", r.getNextPageToken()).data("verification", null));
    }

    @GET
    @Path("audit/verification")
    @Operation(hidden = true)
    public Uni<Response> verifyAudit(@QueryParam("service") String service) {
        String chosen = service == null || service.isBlank() ? Backends.LICENSING : service;
        List<String> services = new ArrayList<>(backends.auditChains().keySet());
        services.add(AuditApi.GATEWAY);
        return render(audit.verification(chosen), v -> ctx.page(auditTemplate, "/audit").data("service", chosen)
                .data("services", services).data("entries", List.of()).data("next", "")
                .data("verification", ProtoJson.map(v)));
    }

    @GET
    @Path("admin/provinces")
    @Blocking
    @Operation(hidden = true)
    public Response adminProvinces() {
        Caller c = ctx.caller();
        if (!c.hasRole("national-coordinator") || !c.jurisdiction().isNational()) {
            return ctx.error(org.exportcontrol.platform.error.ApiErrors.permissionDenied("ROLE_NOT_ALLOWED",
                    "only the national coordinator onboards provinces"));
        }
        return Response.ok(ctx.page(adminProvinces, "/admin/provinces").data("provinces", onboarding.provinces())
                .data("result", null).data("errors", List.of())).build();
    }

    @GET
    @Path("lang")
    @Operation(hidden = true)
    public Response language(@QueryParam("to") String to, @QueryParam("back") String back) {
        String lang = "zh-CN".equals(to) ? "zh-CN" : "en";
        // only local paths: no open redirect
        String target = back != null && back.matches("/[A-Za-z0-9/_\\-]*(\\?[A-Za-z0-9=&_.%:\\-]*)?") && !back.startsWith("//") ? back : "/";
        return Response.seeOther(URI.create(target))
                .cookie(new NewCookie.Builder(PageContext.LANG_COOKIE).value(lang).path("/").maxAge(365 * 24 * 3600)
                        .sameSite(NewCookie.SameSite.LAX).build())
                .build();
    }
}
