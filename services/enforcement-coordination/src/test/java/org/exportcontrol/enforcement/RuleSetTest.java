package org.exportcontrol.enforcement;

import static org.exportcontrol.enforcement.EnforcementFixture.HUNAN;
import static org.exportcontrol.enforcement.EnforcementFixture.JIANGXI;
import static org.exportcontrol.enforcement.EnforcementFixture.as;
import static org.exportcontrol.enforcement.EnforcementFixture.asClient;
import static org.exportcontrol.enforcement.EnforcementFixture.exportDeclared;
import static org.exportcontrol.enforcement.EnforcementFixture.id;
import static org.exportcontrol.enforcement.EnforcementFixture.shipmentOverdue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Published, versioned thresholds: national publishes, provinces only tighten, alerts cite the version. */
@QuarkusTest
class RuleSetTest {

    @GrpcClient("enforcement")
    SignalServiceGrpc.SignalServiceBlockingStub signals;
    @GrpcClient("enforcement")
    AlertServiceGrpc.AlertServiceBlockingStub alerts;
    @GrpcClient("enforcement")
    RuleServiceGrpc.RuleServiceBlockingStub rules;

    SignalServiceGrpc.SignalServiceBlockingStub reporting;

    @BeforeEach
    void setUp() {
        EnforcementFixture.resetDatabase();
        reporting = asClient(signals, "reporting-service");
    }

    private List<Alert> alertsOf(String user) {
        return as(alerts, user).listAlerts(ListAlertsRequest.newBuilder().build()).getAlertsList();
    }

    private static ThresholdChange change(String code, String threshold) {
        return ThresholdChange.newBuilder().setCode(code).setThreshold(threshold).build();
    }

    @Test
    void seededVersionOneHoldsEveryRuleInTheOpen() {
        RuleSet set = as(rules, "jx-enforcement-officer").getRuleSet(GetRuleSetRequest.newBuilder().build()).getRuleSet();
        assertEquals(1, set.getVersion());
        List<String> codes = set.getRulesList().stream().map(Rule::getCode).toList();
        assertTrue(codes.containsAll(List.of("UNLICENSED_EXPORT", "EXPORT_OVER_LICENCE", "DESTINATION_MISMATCH",
                "CUSTODY_GAP", "MASS_BALANCE_DISCREPANCY", "QUOTA_OVERRUN", "WATCH_LISTED_CONSIGNEE", "UNDERVALUATION",
                "STRUCTURING")), codes.toString());
        Rule custody = set.getRulesList().stream().filter(r -> r.getCode().equals("CUSTODY_GAP")).findFirst().orElseThrow();
        assertEquals("48", custody.getThreshold());
        assertEquals(Tighter.TIGHTER_LOWER, custody.getTighter());
    }

    @Test
    void nationalCoordinatorPublishesAThresholdChangeAndTheNextAlertCitesTheNewVersion() {
        reporting.raiseSignal(shipmentOverdue(JIANGXI, "SHP-JX-0001", "30"));
        assertTrue(alertsOf("jx-enforcement-officer").isEmpty(), "30 h is below the published 48 h");

        RuleSet v2 = as(rules, "nat-coordinator").publishRuleSet(PublishRuleSetRequest.newBuilder().setRequestId(id())
                .addChanges(change("CUSTODY_GAP", "24")).setNote("Custody gaps in the south: 24 h").build()).getRuleSet();
        assertEquals(2, v2.getVersion());
        assertEquals("nat-coordinator", v2.getPublishedBy());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'rules.publish'"));

        reporting.raiseSignal(shipmentOverdue(JIANGXI, "SHP-JX-0002", "30"));
        List<Alert> list = alertsOf("jx-enforcement-officer");
        assertEquals(1, list.size());
        assertEquals("CUSTODY_GAP", list.get(0).getRuleCode());
        assertEquals(2, list.get(0).getRuleVersion());
        assertTrue(list.get(0).getSummary().contains("threshold 24"), list.get(0).getSummary());
        // The earlier version stays readable.
        assertEquals("48", as(rules, "nat-coordinator").getRuleSet(GetRuleSetRequest.newBuilder().setVersion(1).build())
                .getRuleSet().getRulesList().stream().filter(r -> r.getCode().equals("CUSTODY_GAP")).findFirst()
                .orElseThrow().getThreshold());
    }

    @Test
    void aProvinceTightensForItselfButCannotLoosenOrPublish() {
        var jx = as(rules, "jx-enforcement-officer");
        StatusRuntimeException publish = assertThrows(StatusRuntimeException.class, () -> jx.publishRuleSet(
                PublishRuleSetRequest.newBuilder().setRequestId(id()).addChanges(change("CUSTODY_GAP", "96")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, publish.getStatus().getCode());
        StatusRuntimeException supervisor = assertThrows(StatusRuntimeException.class, () -> as(rules, "jx-supervisor")
                .publishRuleSet(PublishRuleSetRequest.newBuilder().setRequestId(id())
                        .addChanges(change("CUSTODY_GAP", "96")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, supervisor.getStatus().getCode());

        StatusRuntimeException loosen = assertThrows(StatusRuntimeException.class, () -> jx.tightenThreshold(
                TightenThresholdRequest.newBuilder().setRequestId(id()).setJurisdiction(jurisdiction(JIANGXI))
                        .setCode("CUSTODY_GAP").setThreshold("72").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, loosen.getStatus().getCode());
        assertEquals("THRESHOLD_LOOSER_THAN_NATIONAL", StatusDetails.reason(loosen).orElseThrow());

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> jx.tightenThreshold(
                TightenThresholdRequest.newBuilder().setRequestId(id()).setJurisdiction(jurisdiction(HUNAN))
                        .setCode("CUSTODY_GAP").setThreshold("12").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());

        Rule tightened = jx.tightenThreshold(TightenThresholdRequest.newBuilder().setRequestId(id())
                .setJurisdiction(jurisdiction(JIANGXI)).setCode("CUSTODY_GAP").setThreshold("12").build()).getRule();
        assertEquals("12", tightened.getThreshold());
        assertEquals(JIANGXI, tightened.getTightenedBy());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'rules.tighten'"));

        reporting.raiseSignal(shipmentOverdue(JIANGXI, "SHP-JX-0003", "20"));
        reporting.raiseSignal(shipmentOverdue(HUNAN, "SHP-HN-0003", "20"));
        List<Alert> jiangxi = alertsOf("jx-enforcement-officer");
        assertEquals(1, jiangxi.size());
        assertEquals(JIANGXI, jiangxi.get(0).getTightenedBy());
        assertEquals(1, jiangxi.get(0).getRuleVersion());
        assertTrue(alertsOf("hn-enforcement-officer").isEmpty(), "Hunan keeps the national 48 h");

        // A national change that is looser than Jiangxi's leaves Jiangxi's tighter threshold in force.
        as(rules, "nat-coordinator").publishRuleSet(PublishRuleSetRequest.newBuilder().setRequestId(id())
                .addChanges(change("CUSTODY_GAP", "36")).build());
        Rule inJiangxi = jx.getRuleSet(GetRuleSetRequest.newBuilder().build()).getRuleSet().getRulesList().stream()
                .filter(r -> r.getCode().equals("CUSTODY_GAP")).findFirst().orElseThrow();
        assertEquals("12", inJiangxi.getThreshold());
    }

    @Test
    void undervaluationAgainstTheNationalReferencePrice() {
        StatusRuntimeException provincial = assertThrows(StatusRuntimeException.class, () -> as(rules,
                "jx-enforcement-officer").setReferencePrice(SetReferencePriceRequest.newBuilder().setRequestId(id())
                        .setItemCode("1C905").setUnitPrice(money("2150")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, provincial.getStatus().getCode());
        as(rules, "nat-coordinator").setReferencePrice(SetReferencePriceRequest.newBuilder().setRequestId(id())
                .setItemCode("1C905").setUnitPrice(money("2150")).build());

        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0040", "ACCEPTED", "500", "2000"));
        assertTrue(alertsOf("jx-enforcement-officer").isEmpty(), "7 % below is inside the 30 % threshold");
        reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-0041", "ACCEPTED", "500", "1000"));
        List<Alert> list = alertsOf("jx-enforcement-officer");
        assertEquals(List.of("UNDERVALUATION"), list.stream().map(Alert::getRuleCode).toList());
    }

    @Test
    void structuringManySmallDeclarationsByOneExporter() {
        for (int i = 0; i < 6; i++) {
            reporting.raiseSignal(exportDeclared(JIANGXI, "DECL-JX-05" + i, "ACCEPTED", "900", null));
        }
        List<Alert> list = alertsOf("jx-enforcement-officer");
        assertEquals(1, list.size());
        assertEquals("STRUCTURING", list.get(0).getRuleCode());
        assertEquals(SubjectType.SUBJECT_TYPE_ENTERPRISE, list.get(0).getSubject().getType());
        assertEquals(EnforcementFixture.JIANGXI_EXPORTER, list.get(0).getSubject().getId());
    }

    private static Jurisdiction jurisdiction(String code) {
        return Jurisdiction.newBuilder().setCode(code).build();
    }

    private static Money money(String amount) {
        return Money.newBuilder().setAmount(amount).setCurrencyCode("CNY").build();
    }
}
