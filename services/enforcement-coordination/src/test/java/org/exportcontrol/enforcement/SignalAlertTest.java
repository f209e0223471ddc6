package org.exportcontrol.enforcement;

import static org.exportcontrol.enforcement.EnforcementFixture.HUNAN;
import static org.exportcontrol.enforcement.EnforcementFixture.JIANGXI;
import static org.exportcontrol.enforcement.EnforcementFixture.as;
import static org.exportcontrol.enforcement.EnforcementFixture.asClient;
import static org.exportcontrol.enforcement.EnforcementFixture.exportDeclared;
import static org.exportcontrol.enforcement.EnforcementFixture.id;
import static org.exportcontrol.enforcement.EnforcementFixture.notifications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Signals from licensing and provincial reporting raise alerts that cite one published rule version. */
@QuarkusTest
class SignalAlertTest {

    @GrpcClient("enforcement")
    SignalServiceGrpc.SignalServiceBlockingStub signals;
    @GrpcClient("enforcement")
    AlertServiceGrpc.AlertServiceBlockingStub alerts;

    SignalServiceGrpc.SignalServiceBlockingStub reporting;

    @BeforeEach
    void setUp() {
        EnforcementFixture.resetDatabase();
        reporting = asClient(signals, "reporting-service");
    }

    private List<Alert> alertsOf(String user) {
        return as(alerts, user).listAlerts(ListAlertsRequest.newBuilder().build()).getAlertsList();
    }

    @Test
    void unlicensedExportFromJiangxiRaisesAnAlertNamingRuleVersionAndEvidence() {
        RaiseSignalRequest signal = exportDeclared(JIANGXI, "DECL-JX-0001", "LICENCE_REVOKED", "500", null);
        assertFalse(reporting.raiseSignal(signal).getDuplicate());

        List<Alert> jiangxi = alertsOf("jx-enforcement-officer");
        assertEquals(1, jiangxi.size(), "one alert: " + jiangxi);
        Alert alert = jiangxi.get(0);
        assertEquals("UNLICENSED_EXPORT", alert.getRuleCode());
        assertEquals(1, alert.getRuleVersion());
        assertEquals(Severity.SEVERITY_HIGH, alert.getSeverity());
        assertEquals(JIANGXI, alert.getJurisdiction().getCode());
        assertEquals("DECL-JX-0001", alert.getSubject().getId());
        assertEquals(AlertState.ALERT_STATE_OPEN, alert.getState());
        assertTrue(alert.getEvidenceIdsList().containsAll(signal.getEvidenceIdsList()), alert.getEvidenceIdsList().toString());
        assertTrue(alert.getEvidenceIdsList().stream().anyMatch(e -> e.startsWith("signal:")), "cites the signal id");
        assertTrue(alert.getSummary().contains("LICENCE_REVOKED"));

        // The same alert by id; Hunan sees nothing of Jiangxi's; the national coordinator sees it.
        assertEquals(alert, as(alerts, "jx-enforcement-officer")
                .getAlert(GetAlertRequest.newBuilder().setId(alert.getId()).build()).getAlert());
        assertTrue(alertsOf("hn-enforcement-officer").isEmpty());
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> as(alerts, "hn-enforcement-officer")
                .getAlert(GetAlertRequest.newBuilder().setId(alert.getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals(1, alertsOf("nat-coordinator").size());

        // Jiangxi's enforcement officers are told, through the outbox.
        List<NotifyRequest> sent = notifications();
        assertEquals(1, sent.size());
        NotifyRequest n = sent.get(0);
        assertEquals("enforcement-officer", n.getRecipients(0).getRole().getRole());
        assertEquals(JIANGXI, n.getRecipients(0).getRole().getJurisdiction().getCode());
        assertEquals(List.of(Channel.CHANNEL_INBOX, Channel.CHANNEL_STREAM, Channel.CHANNEL_EMAIL), n.getChannelsList());
        assertEquals("alert.raised", n.getCategory());
        assertEquals("/alerts/" + alert.getId(), n.getLink());
        assertTrue(TestDatabase.count("select count(*) from audit_entry where action = 'alert.raise'") == 1);
    }

    @Test
    void repeatedSignalsAboutTheSameSubjectInsideTheWindowGiveOneAlert() {
        for (int i = 0; i < 3; i++) {
            reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0002", "LICENCE_NOT_FOUND", "500", null));
        }
        List<Alert> list = alertsOf("jx-enforcement-officer");
        assertEquals(1, list.size());
        assertEquals(3, list.get(0).getSignalCount());
        double raised = raised(list.get(0).getRuleCode());
        assertEquals(3, list.get(0).getEvidenceIdsList().stream().filter(e -> e.startsWith("signal:")).count());
        assertEquals(1, notifications().size(), "one notification for one alert");

        // A redelivered outbox message (same request id) is acknowledged without effect.
        RaiseSignalRequest again = exportDeclared(JIANGXI, "DECL-JX-0002", "LICENCE_NOT_FOUND", "500", null);
        assertFalse(reporting.raiseSignal(again).getDuplicate());
        assertTrue(reporting.raiseSignal(again).getDuplicate());
        assertEquals(4, alertsOf("jx-enforcement-officer").get(0).getSignalCount());
        assertEquals(4, TestDatabase.count("select count(*) from signal"));

        assertEquals(raised, raised(list.get(0).getRuleCode()), "a folded signal raises no alert on the operators' dashboard");

        // Another subject is another alert.
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0003", "LICENCE_NOT_FOUND", "500", null));
        assertEquals(2, alertsOf("jx-enforcement-officer").size());
        assertEquals(raised + 1, raised(list.get(0).getRuleCode()));
    }

    @Test
    void acceptedExportRaisesNothingAndOverLicenceRaisesItsOwnRule() {
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0010", "ACCEPTED", "500", null));
        assertTrue(alertsOf("jx-enforcement-officer").isEmpty());
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0011", "LICENCE_BALANCE_EXCEEDED", "500", null));
        List<Alert> list = alertsOf("jx-enforcement-officer");
        assertEquals(List.of("EXPORT_OVER_LICENCE"), list.stream().map(Alert::getRuleCode).toList());
    }

    @Test
    void transshipmentDeclaredOmanShippedToIndiaIsADestinationMismatch() {
        RaiseSignalRequest signal = RaiseSignalRequest.newBuilder().setRequestId(id())
                .setKind(SignalKind.SIGNAL_KIND_EXPORTED_TO_OTHER_DESTINATION)
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_DECLARATION).setId("DECL-HN-0001"))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(HUNAN))
                .addMeasurements(Measurement.newBuilder().setName("quantity").setValue("2000").setUnit("QUANTITY_UNIT_KILOGRAM"))
                .putFacts("declared_destination", "OM").putFacts("carrier_destination", "IN")
                .putFacts("exporter", "91430100MA0DEM021X")
                .setOccurredAt(Timestamps.of(Instant.now())).addEvidenceIds("EV-1").addEvidenceIds("DECL-HN-0001")
                .setSource("provincial-reporting").build();
        reporting.raiseSignal(signal);
        List<Alert> list = alertsOf("hn-enforcement-officer");
        assertEquals(1, list.size());
        assertEquals("DESTINATION_MISMATCH", list.get(0).getRuleCode());
        assertEquals(Severity.SEVERITY_CRITICAL, list.get(0).getSeverity());
        assertTrue(list.get(0).getSummary().contains("OM") && list.get(0).getSummary().contains("IN"));
    }

    @Test
    void licensingSignalsAScreeningHit() {
        asClient(signals, "licensing-service").raiseSignal(RaiseSignalRequest.newBuilder().setRequestId(id())
                .setKind(SignalKind.SIGNAL_KIND_SCREENING_HIT)
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_LICENCE).setId("EXP-2026-360000-000017"))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI)).putFacts("party", "Gulf Transit FZE")
                .addEvidenceIds("screening-hit:1").setSource("licensing").build());
        assertEquals("WATCH_LISTED_CONSIGNEE", alertsOf("jx-enforcement-officer").get(0).getRuleCode());
    }

    @Test
    void badInputAndWrongCallersAreRefused() {
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> reporting.raiseSignal(
                RaiseSignalRequest.newBuilder().setRequestId("x").setKind(SignalKind.SIGNAL_KIND_SHIPMENT_OVERDUE)
                        .setJurisdiction(Jurisdiction.newBuilder().setCode("999999")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(StatusDetails.badFields(bad).containsAll(List.of("request_id", "subject.type", "subject.id",
                "jurisdiction.code", "measurements")), StatusDetails.badFields(bad).toString());

        StatusRuntimeException person = assertThrows(StatusRuntimeException.class, () -> as(signals,
                "jx-enforcement-officer").raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0020", "LICENCE_NOT_FOUND", "5", null)));
        assertEquals(Status.Code.PERMISSION_DENIED, person.getStatus().getCode());
        assertEquals(0, TestDatabase.count("select count(*) from signal"));
    }

    @Test
    void officersDismissAlertsWithAReason() {
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0030", "LICENCE_NOT_FOUND", "500", null));
        Alert alert = alertsOf("jx-enforcement-officer").get(0);
        Alert dismissed = as(alerts, "jx-enforcement-officer").dismissAlert(DismissAlertRequest.newBuilder()
                .setRequestId(id()).setId(alert.getId()).setReason("Declaration withdrawn; duplicate filing").build())
                .getAlert();
        assertEquals(AlertState.ALERT_STATE_DISMISSED, dismissed.getState());
        assertEquals("jx-enforcement-officer", dismissed.getDismissedBy());
        assertEquals(List.of(), as(alerts, "jx-enforcement-officer").listAlerts(ListAlertsRequest.newBuilder()
                .setState(AlertState.ALERT_STATE_OPEN).build()).getAlertsList());
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> as(alerts,
                "jx-enforcement-officer").dismissAlert(DismissAlertRequest.newBuilder().setRequestId(id())
                        .setId(alert.getId()).setReason("again").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
        assertEquals("ALERT_NOT_OPEN", StatusDetails.reason(again).orElseThrow());
        StatusRuntimeException hunan = assertThrows(StatusRuntimeException.class, () -> as(alerts,
                "hn-enforcement-officer").dismissAlert(DismissAlertRequest.newBuilder().setRequestId(id())
                        .setId(alert.getId()).setReason("not mine").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, hunan.getStatus().getCode());
    }

    @Test
    void alertsPage() {
        for (int i = 0; i < 5; i++) {
            reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-01" + i, "LICENCE_NOT_FOUND", "500", null));
        }
        var stub = as(alerts, "jx-enforcement-officer");
        ListAlertsResponse first = stub.listAlerts(ListAlertsRequest.newBuilder().setPageSize(3).build());
        assertEquals(3, first.getAlertsCount());
        ListAlertsResponse second = stub.listAlerts(ListAlertsRequest.newBuilder().setPageSize(3)
                .setPageToken(first.getNextPageToken()).build());
        assertEquals(2, second.getAlertsCount());
        assertTrue(second.getNextPageToken().isEmpty());
    }

    /** Alerts raised by a rule, as the operators' dashboard reads them (enforcement_alerts_raised_total). */
    private static double raised(String rule) {
        return org.exportcontrol.platform.testing.Metrics.value("enforcement_alerts_raised_total", "rule", rule);
    }
}
