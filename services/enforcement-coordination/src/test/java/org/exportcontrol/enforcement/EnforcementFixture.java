package org.exportcontrol.enforcement;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.enforcement.v1.*;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;

import io.grpc.stub.AbstractStub;

/** Shared set-up of the enforcement tests: real tokens, clean tables, signals as the senders build them. */
final class EnforcementFixture {

    static final String JIANGXI = "360000";
    static final String HUNAN = "430000";
    static final String JIANGXI_EXPORTER = "91360700MA0DEM013P";

    private EnforcementFixture() {
    }

    static void resetDatabase() {
        TestDatabase.reset("directive_target", "directive", "case_note", "case_task", "enforcement_case", "alert",
                "signal", "jurisdiction_threshold", "reference_price");
        TestDatabase.execute("delete from rule where version > 1", "delete from rule_set where version > 1");
    }

    static <S extends AbstractStub<S>> S as(S stub, String user) {
        return GrpcAuth.bearer(stub, RealmTokens.user(user));
    }

    static <S extends AbstractStub<S>> S asClient(S stub, String clientId) {
        return GrpcAuth.bearer(stub, RealmTokens.client(clientId));
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** An export declaration signal exactly as provincial reporting's ChainState builds it. */
    static RaiseSignalRequest exportDeclared(String province, String declarationId, String licenceAnswer,
            String quantityKg, String unitPriceCny) {
        RaiseSignalRequest.Builder b = RaiseSignalRequest.newBuilder().setRequestId(id())
                .setKind(SignalKind.SIGNAL_KIND_EXPORT_DECLARED)
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_DECLARATION).setId(declarationId))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(province))
                .addMeasurements(Measurement.newBuilder().setName("quantity").setValue(quantityKg)
                        .setUnit("QUANTITY_UNIT_KILOGRAM"))
                .putFacts("licence_number", "EXP-2026-360000-000017").putFacts("licence_answer", licenceAnswer)
                .putFacts("declared_destination", "DE").putFacts("exporter", JIANGXI_EXPORTER)
                .putFacts("item_code", "1C905").putFacts("lot_id", "LOT-JX-0001")
                .setOccurredAt(Timestamps.of(Instant.now()))
                .addEvidenceIds("EV-" + declarationId + "-record").addEvidenceIds(declarationId)
                .setSource("provincial-reporting");
        if (unitPriceCny != null) {
            b.setUnitPrice(Money.newBuilder().setAmount(unitPriceCny).setCurrencyCode("CNY"));
        }
        return b.build();
    }

    /** A shipment overdue signal as provincial reporting's OverdueShipments sends it. */
    static RaiseSignalRequest shipmentOverdue(String province, String shipmentId, String hours) {
        return RaiseSignalRequest.newBuilder().setRequestId(id())
                .setKind(SignalKind.SIGNAL_KIND_SHIPMENT_OVERDUE)
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_SHIPMENT).setId(shipmentId))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(province))
                .addMeasurements(Measurement.newBuilder().setName("hours_overdue").setValue(hours).setUnit("h"))
                .setOccurredAt(Timestamps.of(Instant.now()))
                .addEvidenceIds("EV-" + shipmentId).setSource("provincial-reporting").build();
    }

    static List<NotifyRequest> notifications() {
        return TestDatabase.outboxPayloads("notification", NotifyRequest.parser());
    }
}
