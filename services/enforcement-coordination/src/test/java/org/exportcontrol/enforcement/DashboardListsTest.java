package org.exportcontrol.enforcement;

import static org.exportcontrol.enforcement.EnforcementFixture.HUNAN;
import static org.exportcontrol.enforcement.EnforcementFixture.JIANGXI;
import static org.exportcontrol.enforcement.EnforcementFixture.as;
import static org.exportcontrol.enforcement.EnforcementFixture.asClient;
import static org.exportcontrol.enforcement.EnforcementFixture.exportDeclared;
import static org.exportcontrol.enforcement.EnforcementFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** The lists a dashboard reads: directives with their targets' progress, alerts by jurisdiction and state. */
@QuarkusTest
class DashboardListsTest {

    @GrpcClient("enforcement")
    DirectiveServiceGrpc.DirectiveServiceBlockingStub directives;
    @GrpcClient("enforcement")
    AlertServiceGrpc.AlertServiceBlockingStub alerts;
    @GrpcClient("enforcement")
    SignalServiceGrpc.SignalServiceBlockingStub signals;

    /**
     * D1 national to Jiangxi and Hunan (Jiangxi completes, Hunan acknowledges), D2 national to
     * Guangxi, D3 Jiangxi to its customs, D4 Hunan to its public security.
     */
    @Test
    void directivesAreListedForTheIssuersLevelAndTheTargetsWithProgressPerTarget() {
        EnforcementFixture.resetDatabase();
        Directive d1 = issue("nat-coordinator", "Inspect separators", target(JIANGXI, Department.DEPARTMENT_UNSPECIFIED),
                target(HUNAN, Department.DEPARTMENT_UNSPECIFIED));
        Directive d2 = issue("nat-coordinator", "Check the bonded warehouses", target("450000", Department.DEPARTMENT_UNSPECIFIED));
        Directive d3 = issue("jx-supervisor", "Check port seals", target(JIANGXI, Department.DEPARTMENT_CUSTOMS));
        Directive d4 = issue("hn-supervisor", "Trace the tungsten trucks", target(HUNAN, Department.DEPARTMENT_PUBLIC_SECURITY));
        as(directives, "hn-enforcement-officer").acknowledgeDirective(AcknowledgeDirectiveRequest.newBuilder()
                .setRequestId(id()).setDirectiveId(d1.getId()).build());
        as(directives, "jx-enforcement-officer").reportDirectiveCompletion(ReportDirectiveCompletionRequest.newBuilder()
                .setRequestId(id()).setDirectiveId(d1.getId()).setReport("all separators inspected").build());

        for (String user : List.of("nat-coordinator", "nat-auditor", "nat-enforcement-officer")) {
            assertEquals(ids(d1, d2, d3, d4), ids(list(user, 0, "").getDirectivesList()), user);
        }
        Directive listed = list("nat-coordinator", 0, "").getDirectives(0);
        assertEquals("Inspect separators", listed.getTitle());
        assertEquals(1, listed.getCompletedTargets());
        assertEquals(List.of(JIANGXI + " TARGET_STATE_COMPLETED jx-enforcement-officer",
                HUNAN + " TARGET_STATE_ACKNOWLEDGED hn-enforcement-officer"),
                listed.getTargetsList().stream().map(t -> t.getJurisdiction().getCode() + " " + t.getState() + " "
                        + t.getAcknowledgedBy()).toList());
        assertEquals("all separators inspected", listed.getTargets(0).getReport());

        // a province: what its level issued and what targets it, never another province's
        assertEquals(ids(d1, d4), ids(list("hn-enforcement-officer", 0, "").getDirectivesList()));
        assertEquals(ids(d1, d3), ids(list("jx-customs-officer", 0, "").getDirectivesList()));
        assertEquals(ids(d2), ids(list("gx-supervisor", 0, "").getDirectivesList()));
        StatusRuntimeException jiangxi = refused(() -> as(directives, "hn-enforcement-officer")
                .getDirective(GetDirectiveRequest.newBuilder().setId(d3.getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, jiangxi.getStatus().getCode());
        assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(jiangxi).orElseThrow());
        StatusRuntimeException analyst = refused(() -> list("nat-analyst", 0, ""));
        assertEquals("ROLE_NOT_ALLOWED", StatusDetails.reason(analyst).orElseThrow());

        // pages of three
        List<Directive> paged = new ArrayList<>();
        ListDirectivesResponse first = list("nat-coordinator", 3, "");
        paged.addAll(first.getDirectivesList());
        assertEquals(3, first.getDirectivesCount());
        ListDirectivesResponse second = list("nat-coordinator", 3, first.getNextPageToken());
        paged.addAll(second.getDirectivesList());
        assertEquals("", second.getNextPageToken());
        assertEquals(ids(d1, d2, d3, d4), ids(paged));

        // bad paging is INVALID_ARGUMENT naming the field, and changes nothing
        long audit = TestDatabase.count("select count(*) from audit_entry");
        long rows = TestDatabase.count("select count(*) from directive_target");
        assertEquals(List.of("page_token"), badFields(() -> list("nat-coordinator", 0, "not-a-token")));
        assertEquals(List.of("page_token"), badFields(() -> list("nat-coordinator", 0, Paging.token("alerts", "1"))));
        assertEquals(List.of("page_token"), badFields(() -> list("nat-coordinator", 0, Paging.token("directives", "x"))));
        assertEquals(List.of("page_size"), badFields(() -> list("nat-coordinator", -1, "")));
        assertEquals(audit, TestDatabase.count("select count(*) from audit_entry"));
        assertEquals(rows, TestDatabase.count("select count(*) from directive_target"));
    }

    /** Two Jiangxi alerts (one dismissed) and one Hunan alert. */
    @Test
    void alertsFilterByJurisdictionAndState() {
        EnforcementFixture.resetDatabase();
        var reporting = asClient(signals, "reporting-service");
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-DASH-1", "LICENCE_NOT_FOUND", "500", null));
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-DASH-2", "LICENCE_NOT_FOUND", "500", null));
        reporting.raiseSignal(exportDeclared(HUNAN, "DECL-HN-DASH-1", "LICENCE_NOT_FOUND", "500", null));
        Alert jx = alerts("jx-enforcement-officer", "", AlertState.ALERT_STATE_UNSPECIFIED).get(0);
        as(alerts, "jx-enforcement-officer").dismissAlert(DismissAlertRequest.newBuilder().setRequestId(id())
                .setId(jx.getId()).setReason("filed twice").build());

        assertEquals(3, alerts("nat-coordinator", "", AlertState.ALERT_STATE_UNSPECIFIED).size());
        assertEquals(List.of(HUNAN), jurisdictions(alerts("nat-analyst", HUNAN, AlertState.ALERT_STATE_UNSPECIFIED)));
        assertEquals(List.of(JIANGXI, JIANGXI), jurisdictions(alerts("nat-coordinator", JIANGXI, AlertState.ALERT_STATE_UNSPECIFIED)));
        List<Alert> open = alerts("nat-coordinator", JIANGXI, AlertState.ALERT_STATE_OPEN);
        assertEquals(1, open.size());
        assertTrue(open.get(0).getSubject().getId().equals("DECL-JX-DASH-2"), open.toString());
        assertEquals(List.of(jx.getId()), alerts("nat-coordinator", JIANGXI, AlertState.ALERT_STATE_DISMISSED).stream()
                .map(Alert::getId).toList());
        assertEquals(0, alerts("nat-coordinator", "national", AlertState.ALERT_STATE_UNSPECIFIED).size());

        // a Hunan officer: Hunan only, with or without the filter; Jiangxi and the national level refused
        assertEquals(List.of(HUNAN), jurisdictions(alerts("hn-enforcement-officer", "", AlertState.ALERT_STATE_UNSPECIFIED)));
        assertEquals(List.of(HUNAN), jurisdictions(alerts("hn-enforcement-officer", HUNAN, AlertState.ALERT_STATE_OPEN)));
        for (String other : List.of(JIANGXI, "national")) {
            StatusRuntimeException e = refused(() -> alerts("hn-enforcement-officer", other, AlertState.ALERT_STATE_UNSPECIFIED));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(e).orElseThrow());
        }

        // bad filters: every bad field at once, nothing changed
        long audit = TestDatabase.count("select count(*) from audit_entry");
        assertEquals(List.of("state", "jurisdiction_code"), badFields(() -> as(alerts, "nat-coordinator")
                .listAlerts(ListAlertsRequest.newBuilder().setStateValue(99).setJurisdictionCode("999999").build())));
        assertEquals(List.of("page_token"), badFields(() -> as(alerts, "nat-coordinator")
                .listAlerts(ListAlertsRequest.newBuilder().setPageToken(Paging.token("directives", "1")).build())));
        assertEquals(audit, TestDatabase.count("select count(*) from audit_entry"));
        assertEquals(3, TestDatabase.count("select count(*) from alert"));
    }

    private Directive issue(String user, String title, DirectiveTarget... targets) {
        return as(directives, user).issueDirective(IssueDirectiveRequest.newBuilder().setRequestId(id()).setTitle(title)
                .setBody(title + ", and report.").addAllTargets(List.of(targets)).build()).getDirective();
    }

    private ListDirectivesResponse list(String user, int size, String token) {
        return as(directives, user).listDirectives(ListDirectivesRequest.newBuilder().setPageSize(size).setPageToken(token)
                .build());
    }

    private List<Alert> alerts(String user, String jurisdiction, AlertState state) {
        return as(alerts, user).listAlerts(ListAlertsRequest.newBuilder().setJurisdictionCode(jurisdiction).setState(state)
                .build()).getAlertsList();
    }

    private static DirectiveTarget target(String province, Department department) {
        return DirectiveTarget.newBuilder().setJurisdiction(Jurisdiction.newBuilder().setCode(province))
                .setDepartment(department).build();
    }

    private static List<String> ids(Directive... list) {
        return ids(List.of(list));
    }

    private static List<String> ids(List<Directive> list) {
        return list.stream().map(Directive::getId).toList();
    }

    private static List<String> jurisdictions(List<Alert> list) {
        return list.stream().map(a -> a.getJurisdiction().getCode()).toList();
    }

    private static StatusRuntimeException refused(Executable call) {
        return assertThrows(StatusRuntimeException.class, call);
    }

    private static List<String> badFields(Executable call) {
        StatusRuntimeException e = refused(call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.toString());
        return StatusDetails.badFields(e);
    }
}
