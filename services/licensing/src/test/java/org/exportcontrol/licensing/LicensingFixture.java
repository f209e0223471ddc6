package org.exportcontrol.licensing;

import java.util.UUID;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;

import com.google.type.Date;

import io.grpc.stub.AbstractStub;

/**
 * Shared set-up of the licensing tests: stubs with real tokens of named demo users, the demo
 * enterprises registered by their provinces, realistic application content, and an application
 * taken the whole way to an issued licence.
 */
final class LicensingFixture {

    static final String JIANGXI_ENTERPRISE = "91360700MA0DEM013P";
    static final String HUNAN_ENTERPRISE = "91430100MA0DEM021X";
    static final String DYSPROSIUM = "1C905";
    static final String DYSPROSIUM_METAL = "2805301200";

    final ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    final LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    final EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    final ControlListServiceGrpc.ControlListServiceBlockingStub lists;

    LicensingFixture(ApplicationServiceGrpc.ApplicationServiceBlockingStub applications,
            LicenceServiceGrpc.LicenceServiceBlockingStub licences,
            EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises,
            ControlListServiceGrpc.ControlListServiceBlockingStub lists) {
        this.applications = applications;
        this.licences = licences;
        this.enterprises = enterprises;
        this.lists = lists;
    }

    static void resetDatabase() {
        TestDatabase.reset("licence_usage", "licence_line", "licence", "screening_hit", "information_request",
                "consultation", "application", "enterprise", "watch_list_entry", "embargoed_destination");
        TestDatabase.execute("delete from control_item where code like 'TEST-%'");
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

    void registerDemoEnterprises() {
        as(enterprises, "jx-licensing-officer").registerEnterprise(RegisterEnterpriseRequest.newBuilder()
                .setRequestId(id())
                .setEnterprise(Enterprise.newBuilder().setCreditCode(JIANGXI_ENTERPRISE)
                        .setName("Ganzhou Rare Earth Trading Co. (demo)").setProvinceCode("360000")
                        .addKinds(EnterpriseKind.ENTERPRISE_KIND_SEPARATOR).addKinds(EnterpriseKind.ENTERPRISE_KIND_TRADER))
                .build());
        as(enterprises, "hn-licensing-officer").registerEnterprise(RegisterEnterpriseRequest.newBuilder()
                .setRequestId(id())
                .setEnterprise(Enterprise.newBuilder().setCreditCode(HUNAN_ENTERPRISE)
                        .setName("Changsha Rare Metals Export Co. (demo)").setProvinceCode("430000")
                        .addKinds(EnterpriseKind.ENTERPRISE_KIND_TRADER))
                .build());
    }

    /** A complete application: 1,000 kg of dysprosium metal to a magnet maker in Germany. */
    static ApplicationContent dysprosiumToGermany(String exporter, String kilograms) {
        return ApplicationContent.newBuilder()
                .setLicenceType(LicenceType.LICENCE_TYPE_SINGLE)
                .setExporterCreditCode(exporter)
                .addLines(ApplicationLine.newBuilder()
                        .setItem(ItemRef.newBuilder().setItemCode(DYSPROSIUM).setTariffCode(DYSPROSIUM_METAL))
                        .setQuantity(Quantity.newBuilder().setValue(kilograms).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM))
                        .setValue(Money.newBuilder().setAmount("2150000.00").setCurrencyCode("CNY")))
                .setConsignee(Party.newBuilder().setName("Nordic Magnet Trading GmbH").setCountryCode("DE")
                        .setAddress("Hamburg"))
                .setEndUser(Party.newBuilder().setName("Rheinland Motorenwerke AG").setCountryCode("DE")
                        .setAddress("Cologne"))
                .setEndUse("NdFeB permanent magnets for electric vehicle traction motors")
                .setDestinationCountryCode("DE")
                .setContractNumber("GRT-2026-0917")
                .setContractDate(Date.newBuilder().setYear(2026).setMonth(9).setDay(17))
                .setCustomsPort("Shanghai")
                .setTransportMode(TransportMode.TRANSPORT_MODE_SEA)
                .addDocuments(DocumentRef.newBuilder().setKind("end-user-certificate").setName("EUC Rheinland 2026.pdf")
                        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .build();
    }

    Application createAndSubmit(String user, ApplicationContent content) {
        var stub = as(applications, user);
        Application draft = stub.createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                .setContent(content).build()).getApplication();
        return stub.submitApplication(SubmitApplicationRequest.newBuilder().setRequestId(id())
                .setId(draft.getId()).build()).getApplication();
    }

    /** Jiangxi exporter applies; Jiangxi commerce forwards; customs advises; a national reviewer approves. */
    Application approved(ApplicationContent content) {
        Application submitted = createAndSubmit("jx-exporter", content);
        as(applications, "jx-licensing-officer").reviewApplicationProvincially(ReviewApplicationProvinciallyRequest
                .newBuilder().setRequestId(id()).setId(submitted.getId()).setDecision(Decision.DECISION_APPROVE).build());
        as(applications, "nat-licensing-reviewer").requestConsultation(RequestConsultationRequest.newBuilder()
                .setRequestId(id()).setId(submitted.getId()).addDepartments(Department.DEPARTMENT_CUSTOMS).build());
        as(applications, "nat-customs-officer").giveConsultationAdvice(GiveConsultationAdviceRequest.newBuilder()
                .setRequestId(id()).setId(submitted.getId()).setAdvice(Advice.ADVICE_APPROVE).build());
        return as(applications, "nat-licensing-reviewer").decideApplication(DecideApplicationRequest.newBuilder()
                .setRequestId(id()).setId(submitted.getId()).setDecision(Decision.DECISION_APPROVE).build())
                .getApplication();
    }
}
