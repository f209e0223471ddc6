package org.exportcontrol.licensing;

import static org.exportcontrol.licensing.LicensingFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.as;
import static org.exportcontrol.licensing.LicensingFixture.dysprosiumToGermany;
import static org.exportcontrol.licensing.LicensingFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Bad input is INVALID_ARGUMENT naming each bad field, and stores nothing; domain refusals have stable reasons. */
@QuarkusTest
class BadInputTest {

    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    @GrpcClient("licensing")
    ControlListServiceGrpc.ControlListServiceBlockingStub lists;

    @BeforeEach
    void setUp() {
        LicensingFixture.resetDatabase();
        new LicensingFixture(applications, licences, enterprises, lists).registerDemoEnterprises();
    }

    @Test
    void aCreditCodeWithAWrongCheckCharacterIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> as(enterprises, "jx-licensing-officer").registerEnterprise(RegisterEnterpriseRequest.newBuilder()
                        .setRequestId(id()).setEnterprise(Enterprise.newBuilder().setCreditCode("91360700MA0DEM013Q")
                                .setName("Mistyped Co.").setProvinceCode("360000")
                                .addKinds(EnterpriseKind.ENTERPRISE_KIND_TRADER)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("enterprise.credit_code"), StatusDetails.badFields(e));
        assertEquals(2, TestDatabase.count("select count(*) from enterprise"), "only the two demo enterprises");
    }

    @Test
    void everyBadFieldOfAnApplicationIsNamedAndNothingIsStored() {
        ApplicationContent good = dysprosiumToGermany(JIANGXI_ENTERPRISE, "100");
        ApplicationContent bad = good.toBuilder()
                .setExporterCreditCode("91360700MA0DEM0130")
                .setDestinationCountryCode("XX")
                .setLines(0, good.getLines(0).toBuilder()
                        .setQuantity(Quantity.newBuilder(good.getLines(0).getQuantity()).setValue("0")))
                .addLines(good.getLines(0).toBuilder()
                        .setQuantity(Quantity.newBuilder(good.getLines(0).getQuantity()).setValue("-5")))
                .build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(applications, "jx-exporter")
                .createApplication(CreateApplicationRequest.newBuilder().setRequestId(id()).setContent(bad).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("content.exporter_credit_code", "content.lines[0].quantity.value",
                "content.lines[1].quantity.value", "content.destination_country_code"), StatusDetails.badFields(e));
        assertEquals(0, TestDatabase.count("select count(*) from application"));
    }

    @Test
    void anUnknownItemIsNamed() {
        ApplicationContent good = dysprosiumToGermany(JIANGXI_ENTERPRISE, "100");
        ApplicationContent unknownItem = good.toBuilder().setLines(0, good.getLines(0).toBuilder()
                .setItem(ItemRef.newBuilder().setItemCode("1C999").setTariffCode("2805301200"))).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(applications, "jx-exporter")
                .createApplication(CreateApplicationRequest.newBuilder().setRequestId(id()).setContent(unknownItem).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("content.lines[0].item.item_code"), StatusDetails.badFields(e));
        assertEquals(0, TestDatabase.count("select count(*) from application"));
    }

    @Test
    void submittingWithoutAnEndUserNamesTheFieldAndChangesNothing() {
        ApplicationContent noEndUser = dysprosiumToGermany(JIANGXI_ENTERPRISE, "100").toBuilder().clearEndUser().build();
        var stub = as(applications, "jx-exporter");
        Application draft = stub.createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                .setContent(noEndUser).build()).getApplication();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.submitApplication(
                SubmitApplicationRequest.newBuilder().setRequestId(id()).setId(draft.getId()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("content.end_user"), StatusDetails.badFields(e));
        Application after = stub.getApplication(GetApplicationRequest.newBuilder().setId(draft.getId()).build()).getApplication();
        assertEquals(ApplicationState.APPLICATION_STATE_DRAFT, after.getState());
        assertEquals(false, after.hasSubmittedAt());
    }

    @Test
    void anItemOutsideItsControlDatesIsAFailedPrecondition() {
        ApplicationContent good = dysprosiumToGermany(JIANGXI_ENTERPRISE, "100");
        // holmium and others: controlled from 2025-10-09, suspended from 2025-11-10
        ApplicationContent suspendedItem = good.toBuilder().setLines(0, good.getLines(0).toBuilder()
                .setItem(ItemRef.newBuilder().setItemCode("1C909").setTariffCode("2846901993"))).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(applications, "jx-exporter")
                .createApplication(CreateApplicationRequest.newBuilder().setRequestId(id()).setContent(suspendedItem).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("ITEM_NOT_CONTROLLED", StatusDetails.reason(e).orElseThrow());
        assertEquals(0, TestDatabase.count("select count(*) from application"));
    }

    @Test
    void onlyTheNationalLevelEditsTheControlList() {
        CreateControlItemRequest request = CreateControlItemRequest.newBuilder().setRequestId(id())
                .setItem(ControlItem.newBuilder().setCode("TEST-ANTIMONY").setName("Antimony and antimony compounds")
                        .addElements("Sb").addTariffCodes("8110101000").setAnnouncement("Test announcement")
                        .setEffectiveFrom(com.google.type.Date.newBuilder().setYear(2026).setMonth(1).setDay(1)))
                .build();
        StatusRuntimeException provincial = assertThrows(StatusRuntimeException.class,
                () -> as(lists, "jx-licensing-officer").createControlItem(request));
        assertEquals(Status.Code.PERMISSION_DENIED, provincial.getStatus().getCode());

        ControlItem created = as(lists, "nat-licensing-officer").createControlItem(request).getItem();
        assertEquals(true, created.getControlledToday());
        ControlItem retired = as(lists, "nat-licensing-officer").retireControlItem(RetireControlItemRequest.newBuilder()
                .setRequestId(id()).setCode("TEST-ANTIMONY")
                .setEffectiveUntil(com.google.type.Date.newBuilder().setYear(2026).setMonth(2).setDay(1)).build()).getItem();
        assertEquals(false, retired.getControlledToday());
        assertEquals(false, as(lists, "jx-exporter").getControlItem(GetControlItemRequest.newBuilder()
                .setCode("TEST-ANTIMONY").build()).getItem().getControlledToday());
    }
}
