package org.exportcontrol.enforcement;

import static org.exportcontrol.enforcement.EnforcementFixture.as;
import static org.exportcontrol.enforcement.EnforcementFixture.id;
import static org.exportcontrol.enforcement.EnforcementFixture.notifications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.platform.testing.Metrics;
import org.exportcontrol.platform.testing.StatusDetails;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Directives go down the chain only; each target acknowledges and reports completion. */
@QuarkusTest
class DirectiveTest {

    @GrpcClient("enforcement")
    DirectiveServiceGrpc.DirectiveServiceBlockingStub directives;
    @jakarta.inject.Inject
    org.exportcontrol.enforcement.service.OverdueDirectives overdue;

    @BeforeEach
    void setUp() {
        EnforcementFixture.resetDatabase();
    }

    private static DirectiveTarget target(String province, Department department) {
        return DirectiveTarget.newBuilder().setJurisdiction(Jurisdiction.newBuilder().setCode(province))
                .setDepartment(department).build();
    }

    @Test
    void nationalDirectiveToFourProvincesIsAcknowledgedAndCompletedByEach() {
        Map<String, String> officers = Map.of("150000", "im-enforcement-officer", "360000", "jx-enforcement-officer",
                "430000", "hn-enforcement-officer", "450000", "gx-enforcement-officer");
        IssueDirectiveRequest.Builder issue = IssueDirectiveRequest.newBuilder().setRequestId(id())
                .setTitle("Inspect every rare-earth separator before 31 December")
                .setBody("Check mass balance records and seal unexplained stock.");
        officers.keySet().stream().sorted().forEach(p -> issue.addTargets(target(p, Department.DEPARTMENT_UNSPECIFIED)));
        Directive d = as(directives, "nat-coordinator").issueDirective(issue.build()).getDirective();
        assertEquals(4, d.getTargetsCount());
        assertTrue(d.getTargetsList().stream().allMatch(t -> t.getState() == TargetState.TARGET_STATE_ISSUED));
        assertEquals(4, notifications().stream().filter(n -> n.getCategory().equals("directive.issued")).count());

        officers.forEach((province, user) -> as(directives, user).acknowledgeDirective(AcknowledgeDirectiveRequest
                .newBuilder().setRequestId(id()).setDirectiveId(d.getId()).build()));
        Directive acknowledged = as(directives, "nat-coordinator").getDirective(GetDirectiveRequest.newBuilder()
                .setId(d.getId()).build()).getDirective();
        assertTrue(acknowledged.getTargetsList().stream().allMatch(t -> t.getState() == TargetState.TARGET_STATE_ACKNOWLEDGED));
        assertEquals(0, acknowledged.getCompletedTargets());

        officers.forEach((province, user) -> as(directives, user).reportDirectiveCompletion(
                ReportDirectiveCompletionRequest.newBuilder().setRequestId(id()).setDirectiveId(d.getId())
                        .setReport(province + ": all separators inspected").build()));
        Directive done = as(directives, "nat-coordinator").getDirective(GetDirectiveRequest.newBuilder()
                .setId(d.getId()).build()).getDirective();
        assertEquals(4, done.getCompletedTargets());
        for (DirectiveTarget t : done.getTargetsList()) {
            assertEquals(TargetState.TARGET_STATE_COMPLETED, t.getState());
            assertEquals(officers.get(t.getJurisdiction().getCode()), t.getCompletedBy());
            assertEquals(officers.get(t.getJurisdiction().getCode()), t.getAcknowledgedBy());
        }
        // A province sees the directive addressed to it.
        assertEquals(d.getId(), as(directives, "gx-enforcement-officer").getDirective(GetDirectiveRequest.newBuilder()
                .setId(d.getId()).build()).getDirective().getId());
    }

    @Test
    void aDirectiveNotCompletedByItsDueDateEscalatesToTheNationalLevel() {
        Directive d = as(directives, "nat-coordinator").issueDirective(IssueDirectiveRequest.newBuilder().setRequestId(id())
                .setTitle("Report the stock of every separation plant").setBody("Counted figures per plant.")
                .addTargets(target("360000", Department.DEPARTMENT_UNSPECIFIED))
                .addTargets(target("430000", Department.DEPARTMENT_UNSPECIFIED)).build()).getDirective();
        as(directives, "hn-enforcement-officer").reportDirectiveCompletion(ReportDirectiveCompletionRequest.newBuilder()
                .setRequestId(id()).setDirectiveId(d.getId()).setReport("430000: done").build());
        // the due date passes with Jiangxi's target still open
        org.exportcontrol.platform.testing.TestDatabase.execute(
                "update directive set due_at = now() - interval '1 hour' where id = '" + d.getId() + "'");
        org.exportcontrol.platform.testing.Await.until("the overdue directive escalated", java.time.Duration.ofSeconds(20),
                () -> notifications().stream().anyMatch(n -> n.getCategory().equals("escalation.directive-overdue")));
        var escalations = notifications().stream().filter(n -> n.getCategory().equals("escalation.directive-overdue")).toList();
        assertEquals(1, escalations.size(), "Hunan completed; only Jiangxi's target escalates");
        assertTrue(escalations.get(0).getTitle().contains("Jiangxi"), escalations.get(0).getTitle());
        assertEquals("national", escalations.get(0).getJurisdiction().getCode());

        // the operators' dashboard and alert see Jiangxi's overdue target until it is completed
        overdue.countNow().await().indefinitely();
        assertEquals(1, Metrics.value("enforcement_directives_overdue", "jurisdiction", "360000"));
        as(directives, "jx-enforcement-officer").reportDirectiveCompletion(ReportDirectiveCompletionRequest.newBuilder()
                .setRequestId(id()).setDirectiveId(d.getId()).setReport("360000: done, late").build());
        overdue.countNow().await().indefinitely();
        assertEquals(0, Metrics.value("enforcement_directives_overdue", "jurisdiction", "360000"));
    }

    @Test
    void aProvinceCannotIssueUpwardOrSidewaysButCanToItsOwnDepartments() {
        var jx = as(directives, "jx-supervisor");
        for (DirectiveTarget wrong : new DirectiveTarget[] {target("national", Department.DEPARTMENT_UNSPECIFIED),
                target("430000", Department.DEPARTMENT_UNSPECIFIED), target("430000", Department.DEPARTMENT_CUSTOMS),
                target("360000", Department.DEPARTMENT_UNSPECIFIED)}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> jx.issueDirective(
                    IssueDirectiveRequest.newBuilder().setRequestId(id()).setTitle("t").setBody("b").addTargets(wrong).build()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), wrong.toString());
            assertEquals("DIRECTIVE_NOT_DOWNWARD", StatusDetails.reason(e).orElseThrow());
        }
        StatusRuntimeException officer = assertThrows(StatusRuntimeException.class, () -> as(directives,
                "jx-enforcement-officer").issueDirective(IssueDirectiveRequest.newBuilder().setRequestId(id())
                        .setTitle("t").setBody("b").addTargets(target("360000", Department.DEPARTMENT_CUSTOMS)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, officer.getStatus().getCode());

        Directive d = jx.issueDirective(IssueDirectiveRequest.newBuilder().setRequestId(id())
                .setTitle("Check outbound rare-earth containers at Nanchang").setBody("Weigh and seal.")
                .addTargets(target("360000", Department.DEPARTMENT_CUSTOMS)).build()).getDirective();
        StatusRuntimeException notTarget = assertThrows(StatusRuntimeException.class, () -> as(directives,
                "jx-publicsecurity-officer").acknowledgeDirective(AcknowledgeDirectiveRequest.newBuilder()
                        .setRequestId(id()).setDirectiveId(d.getId()).build()));
        assertEquals("NOT_A_DIRECTIVE_TARGET", StatusDetails.reason(notTarget).orElseThrow());
        Directive acked = as(directives, "jx-customs-officer").acknowledgeDirective(AcknowledgeDirectiveRequest.newBuilder()
                .setRequestId(id()).setDirectiveId(d.getId()).build()).getDirective();
        assertEquals(TargetState.TARGET_STATE_ACKNOWLEDGED, acked.getTargets(0).getState());
    }
}
