package org.exportcontrol.gateway;

import java.time.Instant;
import java.util.UUID;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.enforcement.v1.AlertServiceGrpc;
import org.exportcontrol.api.enforcement.v1.ListAlertsRequest;
import org.exportcontrol.api.enforcement.v1.Measurement;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.api.enforcement.v1.Subject;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;

import com.google.type.Date;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Puts real data into the real services behind the gateway, as the people and systems who own it
 * would: a Jiangxi exporter's application, and an export declaration signal from provincial
 * reporting that trips a published rule.
 */
final class MissionData {

    static final String JIANGXI_EXPORTER = "91360700MA0DEM013P";

    private MissionData() {
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static ManagedChannel channel(String client) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", BackendServices.PORTS.get(client)).usePlaintext().build();
    }

    /** A dysprosium application by the Jiangxi demo exporter, submitted: it waits for the provincial review. */
    static Application submittedJiangxiApplication() {
        ManagedChannel channel = channel("licensing");
        try {
            try {
                GrpcAuth.bearer(EnterpriseServiceGrpc.newBlockingStub(channel), RealmTokens.user("jx-licensing-officer"))
                        .registerEnterprise(RegisterEnterpriseRequest.newBuilder().setRequestId(id())
                                .setEnterprise(Enterprise.newBuilder().setCreditCode(JIANGXI_EXPORTER)
                                        .setName("Ganzhou Rare Earth Trading Co. (demo)").setProvinceCode("360000")
                                        .addKinds(EnterpriseKind.ENTERPRISE_KIND_TRADER))
                                .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                    throw e;
                }
            }
            var applications = GrpcAuth.bearer(ApplicationServiceGrpc.newBlockingStub(channel), RealmTokens.user("jx-exporter"));
            Application draft = applications.createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                    .setContent(ApplicationContent.newBuilder()
                            .setLicenceType(LicenceType.LICENCE_TYPE_SINGLE)
                            .setExporterCreditCode(JIANGXI_EXPORTER)
                            .addLines(ApplicationLine.newBuilder()
                                    .setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2805301200"))
                                    .setQuantity(Quantity.newBuilder().setValue("500").setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM))
                                    .setValue(Money.newBuilder().setAmount("1075000.00").setCurrencyCode("CNY")))
                            .setConsignee(Party.newBuilder().setName("Nordic Magnet Trading GmbH").setCountryCode("DE").setAddress("Hamburg"))
                            .setEndUser(Party.newBuilder().setName("Rheinland Motorenwerke AG").setCountryCode("DE").setAddress("Cologne"))
                            .setEndUse("NdFeB permanent magnets for electric vehicle traction motors")
                            .setDestinationCountryCode("DE")
                            .setContractNumber("GRT-2026-1128")
                            .setContractDate(Date.newBuilder().setYear(2026).setMonth(11).setDay(2))
                            .setCustomsPort("Shanghai")
                            .setTransportMode(TransportMode.TRANSPORT_MODE_SEA)
                            .addDocuments(DocumentRef.newBuilder().setKind("end-user-certificate").setName("EUC Rheinland.pdf")
                                    .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")))
                    .build()).getApplication();
            return applications.submitApplication(SubmitApplicationRequest.newBuilder().setRequestId(id())
                    .setId(draft.getId()).build()).getApplication();
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Provincial reporting's signal for a Jiangxi export declaration that licensing refused (no
     * licence): enforcement raises an UNLICENSED_EXPORT alert in 360000. Returns that alert.
     */
    static Alert unlicensedJiangxiExport() {
        String declaration = raiseUnlicensedJiangxiExport();
        ManagedChannel channel = channel("enforcement");
        try {
            var alerts = GrpcAuth.bearer(AlertServiceGrpc.newBlockingStub(channel), RealmTokens.user("nat-coordinator"));
            Alert[] found = new Alert[1];
            Await.until("the UNLICENSED_EXPORT alert for " + declaration, java.time.Duration.ofSeconds(20), () -> {
                // every page: alerts come oldest first, and earlier test runs leave theirs behind
                String token = "";
                do {
                    var page = alerts.listAlerts(ListAlertsRequest.newBuilder().setPageSize(500).setPageToken(token).build());
                    found[0] = page.getAlertsList().stream().filter(a -> a.getSubject().getId().equals(declaration))
                            .findFirst().orElse(null);
                    token = page.getNextPageToken();
                } while (found[0] == null && !token.isEmpty());
                return found[0] != null;
            });
            return found[0];
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * The same signal, sent without waiting for anything else: enforcement raises the alert in the
     * call's own transaction, so it is there when the call returns. Returns the declaration, the
     * alert's subject.
     */
    static String raiseUnlicensedJiangxiExport() {
        String declaration = "DEC-" + id().substring(0, 8);
        ManagedChannel channel = channel("enforcement");
        try {
            GrpcAuth.bearer(SignalServiceGrpc.newBlockingStub(channel), RealmTokens.client("reporting-service"))
                    .raiseSignal(RaiseSignalRequest.newBuilder().setRequestId(id())
                            .setKind(SignalKind.SIGNAL_KIND_EXPORT_DECLARED)
                            .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_DECLARATION).setId(declaration))
                            .setJurisdiction(Jurisdiction.newBuilder().setCode("360000"))
                            .addMeasurements(Measurement.newBuilder().setName("quantity").setValue("800").setUnit("QUANTITY_UNIT_KILOGRAM"))
                            .putFacts("licence_number", "").putFacts("licence_answer", "LICENCE_NOT_FOUND")
                            .putFacts("declared_destination", "OM").putFacts("exporter", JIANGXI_EXPORTER)
                            .putFacts("item_code", "1C905").putFacts("lot_id", "360000-LOT-" + declaration)
                            .setOccurredAt(Timestamps.of(Instant.now()))
                            .addEvidenceIds("EV-" + declaration).addEvidenceIds(declaration)
                            .setSource("provincial-reporting").build());
            return declaration;
        } finally {
            channel.shutdownNow();
        }
    }
}
