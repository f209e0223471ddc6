package org.exportcontrol.enforcement;

import static org.exportcontrol.enforcement.EnforcementFixture.JIANGXI;
import static org.exportcontrol.enforcement.EnforcementFixture.as;
import static org.exportcontrol.enforcement.EnforcementFixture.asClient;
import static org.exportcontrol.enforcement.EnforcementFixture.exportDeclared;
import static org.exportcontrol.enforcement.EnforcementFixture.id;
import static org.exportcontrol.enforcement.EnforcementFixture.notifications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.api.licensing.v1.RequestLicenceSuspensionRequest;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.enforcement.service.Escalation;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** A Jiangxi alert becomes a joint case: tasks for customs and public security, escalation, outcome, approved closing. */
@QuarkusTest
class JointCaseTest {

    @GrpcClient("enforcement")
    SignalServiceGrpc.SignalServiceBlockingStub signals;
    @GrpcClient("enforcement")
    AlertServiceGrpc.AlertServiceBlockingStub alerts;
    @GrpcClient("enforcement")
    CaseServiceGrpc.CaseServiceBlockingStub cases;
    @Inject
    Escalation escalation;

    Alert alert;

    @BeforeEach
    void setUp() {
        EnforcementFixture.resetDatabase();
        asClient(signals, "reporting-service").raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0100", "LICENCE_REVOKED",
                "500", null));
        alert = as(alerts, "jx-enforcement-officer").listAlerts(ListAlertsRequest.newBuilder().build()).getAlerts(0);
    }

    private Case openCase(String user) {
        return as(cases, user).openCase(OpenCaseRequest.newBuilder().setRequestId(id()).setAlertId(alert.getId())
                .setTitle("Unlicensed dysprosium export, Ganzhou").setLeadDepartment(Department.DEPARTMENT_COORDINATION_OFFICE)
                .addParticipatingDepartments(Department.DEPARTMENT_CUSTOMS)
                .addParticipatingDepartments(Department.DEPARTMENT_PUBLIC_SECURITY).build()).getCase();
    }

    private String assign(Case c, Department department, String description) {
        return as(cases, "jx-enforcement-officer").assignTask(AssignTaskRequest.newBuilder().setRequestId(id())
                .setCaseId(c.getId()).setDepartment(department).setDescription(description)
                .setDueAt(Timestamps.of(Instant.now().plus(Duration.ofDays(2)))).build()).getTaskId();
    }

    private static StatusRuntimeException refused(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run);
    }

    @Test
    void jiangxiCaseWithTasksEscalationOutcomeAndApprovedClosing() {
        Case opened = openCase("jx-enforcement-officer");
        assertEquals(CaseState.CASE_STATE_OPEN, opened.getState());
        assertEquals(JIANGXI, opened.getLeadJurisdiction().getCode());
        assertEquals(alert.getId(), opened.getAlertId());
        assertTrue(opened.getNotes(0).getEvidenceIdsList().containsAll(alert.getEvidenceIdsList()), "the alert's evidence");
        assertEquals(AlertState.ALERT_STATE_CASE_OPENED, as(alerts, "jx-enforcement-officer")
                .getAlert(GetAlertRequest.newBuilder().setId(alert.getId()).build()).getAlert().getState());

        String customsTask = assign(opened, Department.DEPARTMENT_CUSTOMS, "Hold lot LOT-JX-0001 at Nanchang customs; sample it");
        String policeTask = assign(opened, Department.DEPARTMENT_PUBLIC_SECURITY, "Interview the exporter's shipping agent");
        List<NotifyRequest> told = notifications().stream().filter(n -> n.getCategory().equals("case.task-assigned")).toList();
        assertEquals(2, told.size());
        assertEquals("department-officer", told.get(0).getRecipients(0).getRole().getRole());
        assertEquals(Department.DEPARTMENT_CUSTOMS, told.get(0).getRecipients(0).getRole().getDepartment());
        assertEquals(JIANGXI, told.get(0).getRecipients(0).getRole().getJurisdiction().getCode());

        // Customs completes its own task, not public security's.
        as(cases, "jx-customs-officer").completeTask(CompleteTaskRequest.newBuilder().setRequestId(id())
                .setCaseId(opened.getId()).setTaskId(customsTask).setResult("Lot held; 500 kg sealed").build());
        StatusRuntimeException notTheirs = refused(() -> as(cases, "jx-customs-officer").completeTask(CompleteTaskRequest
                .newBuilder().setRequestId(id()).setCaseId(opened.getId()).setTaskId(policeTask).setResult("x").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, notTheirs.getStatus().getCode());
        assertEquals("NOT_THE_TASK_DEPARTMENT", StatusDetails.reason(notTheirs).orElseThrow());

        // Public security's task falls overdue: escalation sends it to the national level.
        TestDatabase.execute("update case_task set due_at = now() - interval '1 hour' where id = '" + policeTask + "'");
        escalation.escalateNow().await().atMost(Duration.ofSeconds(30));
        Await.until("the overdue task is escalated", Duration.ofSeconds(20), () -> TestDatabase.count(
                "select count(*) from case_task where escalated_at is not null and id = '" + policeTask + "'") == 1);
        List<NotifyRequest> up = notifications().stream().filter(n -> n.getCategory().equals("escalation.task-overdue")).toList();
        assertEquals(1, up.size(), "escalated once");
        assertEquals("national-coordinator", up.get(0).getRecipients(0).getRole().getRole());
        assertEquals("national", up.get(0).getRecipients(0).getRole().getJurisdiction().getCode());
        assertEquals("/cases/" + opened.getId(), up.get(0).getLink());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'escalation.task-overdue'"
                + " and actor = 'enforcement-service'"));
        escalation.escalateNow().await().atMost(Duration.ofSeconds(30));
        assertEquals(1, notifications().stream().filter(n -> n.getCategory().equals("escalation.task-overdue")).count());

        as(cases, "jx-publicsecurity-officer").completeTask(CompleteTaskRequest.newBuilder().setRequestId(id())
                .setCaseId(opened.getId()).setTaskId(policeTask).setResult("Agent interviewed; forged licence copy found")
                .build());

        StatusRuntimeException noOutcome = refused(() -> as(cases, "jx-enforcement-officer").proposeClosing(
                ProposeClosingRequest.newBuilder().setRequestId(id()).setCaseId(opened.getId()).setReason("done").build()));
        assertEquals("OUTCOME_REQUIRED", StatusDetails.reason(noOutcome).orElseThrow());

        Case withOutcome = as(cases, "jx-enforcement-officer").recordOutcome(RecordOutcomeRequest.newBuilder()
                .setRequestId(id()).setCaseId(opened.getId()).setOutcome(CaseOutcome.newBuilder()
                        .setSeizedQuantity(Quantity.newBuilder().setValue("500").setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM))
                        .setFine(Money.newBuilder().setAmount("2000000").setCurrencyCode("CNY"))
                        .setRevokeLicenceNumber("EXP-2026-360000-000017").setHandedToCriminalProceedings(true)
                        .setSummary("Goods seized, exporter fined, licence revocation requested, handed to prosecutors"))
                .build()).getCase();
        assertEquals("500", withOutcome.getOutcome().getSeizedQuantity().getValue());
        List<RequestLicenceSuspensionRequest> toLicensing = TestDatabase.outboxPayloads("licensing",
                RequestLicenceSuspensionRequest.parser());
        assertEquals(1, toLicensing.size());
        assertEquals("EXP-2026-360000-000017", toLicensing.get(0).getLicenceNumber());
        assertEquals(opened.getId(), toLicensing.get(0).getCaseId());
        assertTrue(toLicensing.get(0).getRevocationRequested());

        as(cases, "jx-enforcement-officer").proposeClosing(ProposeClosingRequest.newBuilder().setRequestId(id())
                .setCaseId(opened.getId()).setReason("Outcome recorded; all tasks done").build());
        StatusRuntimeException officer = refused(() -> as(cases, "jx-enforcement-officer2").decideClosing(
                DecideClosingRequest.newBuilder().setRequestId(id()).setCaseId(opened.getId()).setApprove(true).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, officer.getStatus().getCode());
        StatusRuntimeException otherProvince = refused(() -> as(cases, "hn-supervisor").decideClosing(
                DecideClosingRequest.newBuilder().setRequestId(id()).setCaseId(opened.getId()).setApprove(true).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherProvince.getStatus().getCode());

        Case closed = as(cases, "jx-supervisor").decideClosing(DecideClosingRequest.newBuilder().setRequestId(id())
                .setCaseId(opened.getId()).setApprove(true).build()).getCase();
        assertEquals(CaseState.CASE_STATE_CLOSED, closed.getState());
        assertEquals("jx-enforcement-officer", closed.getClosingProposedBy());
        assertEquals("jx-supervisor", closed.getClosingApprovedBy());
        assertTrue(closed.getTasksList().stream().allMatch(t -> t.getState() == TaskState.TASK_STATE_DONE));
        assertTrue(closed.getTasksList().stream().anyMatch(CaseTask::hasEscalatedAt));
        assertTrue(TestDatabase.count("select count(*) from audit_entry where action = 'case.approve-closing'") == 1);
        assertEquals(1, as(cases, "nat-coordinator").listCases(ListCasesRequest.newBuilder()
                .setState(CaseState.CASE_STATE_CLOSED).build()).getCasesCount());
        assertEquals(0, as(cases, "hn-enforcement-officer").listCases(ListCasesRequest.newBuilder().build()).getCasesCount());
    }

    @Test
    void theProposerCannotApproveTheClosing() {
        Case c = openCase("nat-coordinator");
        var nat = as(cases, "nat-coordinator");
        nat.recordOutcome(RecordOutcomeRequest.newBuilder().setRequestId(id()).setCaseId(c.getId())
                .setOutcome(CaseOutcome.newBuilder().setSummary("No violation: licence answer was stale")).build());
        nat.proposeClosing(ProposeClosingRequest.newBuilder().setRequestId(id()).setCaseId(c.getId())
                .setReason("No violation").build());
        StatusRuntimeException self = refused(() -> nat.decideClosing(DecideClosingRequest.newBuilder().setRequestId(id())
                .setCaseId(c.getId()).setApprove(true).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, self.getStatus().getCode());
        assertEquals("PROPOSER_CANNOT_APPROVE", StatusDetails.reason(self).orElseThrow());
        assertEquals(CaseState.CASE_STATE_CLOSED, as(cases, "jx-supervisor").decideClosing(DecideClosingRequest
                .newBuilder().setRequestId(id()).setCaseId(c.getId()).setApprove(true).build()).getCase().getState());
    }

    @Test
    void untriagedSevereAlertsEscalateToTheNationalLevel() {
        TestDatabase.execute("update alert set raised_at = now() - interval '2 days' where id = '" + alert.getId() + "'");
        escalation.escalateNow().await().atMost(Duration.ofSeconds(30));
        Await.until("the alert is escalated", Duration.ofSeconds(20), () -> notifications().stream()
                .anyMatch(n -> n.getCategory().equals("escalation.alert")));
        NotifyRequest n = notifications().stream().filter(x -> x.getCategory().equals("escalation.alert")).findFirst()
                .orElseThrow();
        assertEquals("/alerts/" + alert.getId(), n.getLink());
        assertTrue(n.getTitle().contains("UNLICENSED_EXPORT") && n.getTitle().contains("v1"), n.getTitle());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'escalation.alert'"));
    }

    @Test
    void badCaseInputIsRefusedWithTheFields() {
        StatusRuntimeException bad = refused(() -> as(cases, "jx-enforcement-officer").openCase(OpenCaseRequest
                .newBuilder().setRequestId("short").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(StatusDetails.badFields(bad).containsAll(List.of("request_id", "alert_id", "lead_department")),
                StatusDetails.badFields(bad).toString());
        Case c = openCase("jx-enforcement-officer");
        StatusRuntimeException past = refused(() -> as(cases, "jx-enforcement-officer").assignTask(AssignTaskRequest
                .newBuilder().setRequestId(id()).setCaseId(c.getId()).setDepartment(Department.DEPARTMENT_CUSTOMS)
                .setDescription("late").setDueAt(Timestamps.of(Instant.now().minus(Duration.ofHours(1)))).build()));
        assertEquals(List.of("due_at"), StatusDetails.badFields(past));
        StatusRuntimeException again = refused(() -> openCase("jx-enforcement-officer2"));
        assertEquals("ALERT_NOT_OPEN", StatusDetails.reason(again).orElseThrow());
    }
}
