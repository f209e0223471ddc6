package org.exportcontrol.licensing;

import static org.exportcontrol.licensing.LicensingFixture.DYSPROSIUM;
import static org.exportcontrol.licensing.LicensingFixture.DYSPROSIUM_METAL;
import static org.exportcontrol.licensing.LicensingFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.as;
import static org.exportcontrol.licensing.LicensingFixture.asClient;
import static org.exportcontrol.licensing.LicensingFixture.dysprosiumToGermany;
import static org.exportcontrol.licensing.LicensingFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Licence use by export declarations (provincial reporting's service identity) and suspension by enforcement's. */
@QuarkusTest
class LicenceUsageTest {

    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    @GrpcClient("licensing")
    ControlListServiceGrpc.ControlListServiceBlockingStub lists;

    String licence;
    LicenceServiceGrpc.LicenceServiceBlockingStub reporting;

    @BeforeEach
    void setUp() {
        LicensingFixture.resetDatabase();
        LicensingFixture fixture = new LicensingFixture(applications, licences, enterprises, lists);
        fixture.registerDemoEnterprises();
        licence = fixture.approved(dysprosiumToGermany(JIANGXI_ENTERPRISE, "1000")).getLicenceNumber();
        reporting = asClient(licences, "reporting-service");
    }

    @Test
    void fiftyConcurrentDeclarationsNeverOverdrawALine() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String declaration = "JX-DECL-CONC-" + i;
            results.add(pool.submit(() -> {
                try {
                    reporting.checkAndDecrement(declaration(declaration, "30", "DE"));
                    return true;
                } catch (StatusRuntimeException e) {
                    assertEquals("LICENCE_BALANCE_EXCEEDED", StatusDetails.reason(e).orElse(e.getStatus().toString()));
                    return false;
                }
            }));
        }
        int accepted = 0;
        for (Future<Boolean> result : results) {
            accepted += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(33, accepted, "1000 kg hold 33 declarations of 30 kg");
        assertEquals("10", remaining());
        assertEquals(33, TestDatabase.count("select count(*) from licence_usage"));
    }

    @Test
    void aRepeatedDeclarationIdChangesNothingAndReturnsTheFirstAnswer() {
        CheckAndDecrementResponse first = reporting.checkAndDecrement(declaration("JX-DECL-000001", "250", "DE"));
        CheckAndDecrementResponse again = reporting.checkAndDecrement(declaration("JX-DECL-000001", "250", "DE"));
        assertFalse(first.getDuplicate());
        assertTrue(again.getDuplicate());
        assertEquals("750", first.getRemaining().getValue());
        assertEquals("750", again.getRemaining().getValue());
        assertEquals("750", remaining());
    }

    @Test
    void refusalsCarryStableReasonsAndChangeNothing() {
        assertRefused("DESTINATION_MISMATCH", declaration("JX-DECL-OM-1", "10", "OM"));
        assertRefused("LICENCE_BALANCE_EXCEEDED", declaration("JX-DECL-BIG-1", "1000.000001", "DE"));
        assertRefused("ITEM_NOT_ON_LICENCE", declaration("JX-DECL-TB-1", "10", "DE").toBuilder()
                .setItem(ItemRef.newBuilder().setItemCode("1C904").setTariffCode("2805301300")).build());
        assertRefused("EXPORTER_MISMATCH", declaration("JX-DECL-HN-1", "10", "DE").toBuilder()
                .setExporterCreditCode(LicensingFixture.HUNAN_ENTERPRISE).build());
        assertEquals("1000", remaining());
        TestDatabase.execute("update licence set valid_until = current_date - 1, valid_from = current_date - 30"
                + " where number = '" + licence + "'");
        assertRefused("LICENCE_EXPIRED", declaration("JX-DECL-EXP-1", "10", "DE"));
    }

    @Test
    void aCancelledDeclarationGivesItsQuantityBack() {
        reporting.checkAndDecrement(declaration("JX-DECL-CANCEL-1", "400", "DE"));
        assertEquals("600", remaining());
        CancelDeclarationResponse cancelled = reporting.cancelDeclaration(CancelDeclarationRequest.newBuilder()
                .setRequestId(id()).setDeclarationId("JX-DECL-CANCEL-1").build());
        assertEquals("1000", cancelled.getRemaining().getValue());
        assertEquals("1000", remaining());
    }

    @Test
    void onlyProvincialReportingsServiceIdentityUsesLicences() {
        StatusRuntimeException officer = assertThrows(StatusRuntimeException.class, () -> as(licences, "jx-licensing-officer")
                .checkAndDecrement(declaration("JX-DECL-PERSON-1", "10", "DE")));
        assertEquals(Status.Code.PERMISSION_DENIED, officer.getStatus().getCode());
        StatusRuntimeException system = assertThrows(StatusRuntimeException.class,
                () -> asClient(licences, "province-360000-system").checkAndDecrement(declaration("JX-DECL-SYS-1", "10", "DE")));
        assertEquals(Status.Code.PERMISSION_DENIED, system.getStatus().getCode());
    }

    @Test
    void enforcementSuspendsAtOnceAndAReviewerRevokes() {
        Licence suspended = asClient(licences, "enforcement-service").requestLicenceSuspension(
                RequestLicenceSuspensionRequest.newBuilder().setRequestId(id()).setLicenceNumber(licence)
                        .setCaseId("CASE-360000-2026-0007").setReason("Declared Germany, carried to a third country")
                        .setRevocationRequested(true).build()).getLicence();
        assertEquals(LicenceStatus.LICENCE_STATUS_SUSPENDED, suspended.getStatus());
        assertRefused("LICENCE_SUSPENDED", declaration("JX-DECL-SUSP-1", "10", "DE"));

        StatusRuntimeException provincial = assertThrows(StatusRuntimeException.class, () -> as(licences,
                "jx-licensing-officer").decideLicenceSuspension(DecideLicenceSuspensionRequest.newBuilder()
                        .setRequestId(id()).setLicenceNumber(licence).setRevoke(false).setReasons("no").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, provincial.getStatus().getCode());

        Licence revoked = as(licences, "nat-licensing-reviewer").decideLicenceSuspension(DecideLicenceSuspensionRequest
                .newBuilder().setRequestId(id()).setLicenceNumber(licence).setRevoke(true)
                .setReasons("Transshipment confirmed by the joint case").build()).getLicence();
        assertEquals(LicenceStatus.LICENCE_STATUS_REVOKED, revoked.getStatus());
        assertRefused("LICENCE_REVOKED", declaration("JX-DECL-REV-1", "10", "DE"));

        List<SignalKind> signalled = TestDatabase.outboxPayloads("enforcement", RaiseSignalRequest.parser()).stream()
                .map(RaiseSignalRequest::getKind).toList();
        assertEquals(List.of(SignalKind.SIGNAL_KIND_LICENCE_SUSPENDED, SignalKind.SIGNAL_KIND_LICENCE_REVOKED), signalled);
        assertEquals(2, TestDatabase.count("select count(*) from audit_entry where subject = 'licence/" + licence
                + "' and action in ('licence.suspend', 'licence.revoke')"));
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'licence.suspend'"
                + " and actor_kind = 'SERVICE' and actor = 'enforcement-service'"), "audited as the service's own act");
    }

    @Test
    void theExporterReadsItsBalance() {
        reporting.checkAndDecrement(declaration("JX-DECL-BAL-1", "125.5", "DE"));
        Licence seen = as(licences, "jx-exporter").getLicence(GetLicenceRequest.newBuilder().setNumber(licence).build())
                .getLicence();
        assertEquals("874.5", seen.getLines(0).getRemaining().getValue());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> as(licences, "hn-exporter")
                .getLicence(GetLicenceRequest.newBuilder().setNumber(licence).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
    }

    private void assertRefused(String reason, CheckAndDecrementRequest request) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> reporting.checkAndDecrement(request));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(reason, StatusDetails.reason(e).orElseThrow());
    }

    private String remaining() {
        return as(licences, "nat-licensing-reviewer").getLicence(GetLicenceRequest.newBuilder().setNumber(licence).build())
                .getLicence().getLines(0).getRemaining().getValue();
    }

    private CheckAndDecrementRequest declaration(String id, String kilograms, String destination) {
        return CheckAndDecrementRequest.newBuilder().setDeclarationId(id).setLicenceNumber(licence)
                .setExporterCreditCode(JIANGXI_ENTERPRISE)
                .setItem(ItemRef.newBuilder().setItemCode(DYSPROSIUM).setTariffCode(DYSPROSIUM_METAL))
                .setQuantity(Quantity.newBuilder().setValue(kilograms).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM))
                .setDestinationCountryCode(destination).build();
    }
}
