package org.exportcontrol.licensing;

import static org.exportcontrol.licensing.LicensingFixture.HUNAN_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.as;
import static org.exportcontrol.licensing.LicensingFixture.dysprosiumToGermany;
import static org.exportcontrol.licensing.LicensingFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.platform.testing.StatusDetails;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** Provincial staff see and act only in their province; an exporter sees only its own enterprise. */
@QuarkusTest
class JurisdictionTest {

    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    @GrpcClient("licensing")
    ControlListServiceGrpc.ControlListServiceBlockingStub lists;

    LicensingFixture fixture;
    Application jiangxi;
    Application hunan;

    @BeforeEach
    void setUp() {
        LicensingFixture.resetDatabase();
        fixture = new LicensingFixture(applications, licences, enterprises, lists);
        fixture.registerDemoEnterprises();
        jiangxi = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "100"));
        hunan = fixture.createAndSubmit("hn-exporter", dysprosiumToGermany(HUNAN_ENTERPRISE, "100"));
    }

    @Test
    void aHunanOfficerCannotReadOrActOnAJiangxiApplication() {
        StatusRuntimeException read = assertThrows(StatusRuntimeException.class, () -> as(applications,
                "hn-licensing-officer").getApplication(GetApplicationRequest.newBuilder().setId(jiangxi.getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, read.getStatus().getCode());
        assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(read).orElseThrow());

        StatusRuntimeException act = assertThrows(StatusRuntimeException.class, () -> as(applications,
                "hn-licensing-officer").reviewApplicationProvincially(ReviewApplicationProvinciallyRequest.newBuilder()
                        .setRequestId(id()).setId(jiangxi.getId()).setDecision(Decision.DECISION_APPROVE).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, act.getStatus().getCode());

        assertEquals(List.of(hunan.getId()), ids(as(applications, "hn-licensing-officer")));
        assertEquals(List.of(jiangxi.getId(), hunan.getId()), ids(as(applications, "nat-licensing-reviewer")));
    }

    @Test
    void anExporterSeesOnlyItsOwnApplicationsAndEnterprise() {
        assertEquals(List.of(jiangxi.getId()), ids(as(applications, "jx-exporter")));
        assertEquals(List.of(hunan.getId()), ids(as(applications, "hn-exporter")));

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> as(applications, "hn-exporter")
                .getApplication(GetApplicationRequest.newBuilder().setId(jiangxi.getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());

        StatusRuntimeException forAnother = assertThrows(StatusRuntimeException.class, () -> as(applications, "jx-exporter")
                .createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                        .setContent(dysprosiumToGermany(HUNAN_ENTERPRISE, "5")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, forAnother.getStatus().getCode());

        List<Enterprise> visible = as(enterprises, "jx-exporter").listEnterprises(ListEnterprisesRequest.getDefaultInstance())
                .getEnterprisesList();
        assertEquals(List.of(JIANGXI_ENTERPRISE), visible.stream().map(Enterprise::getCreditCode).toList());
    }

    @Test
    void provincialCommerceAppliesForItsOwnProvincesEnterprisesOnly() {
        Application byOfficer = as(applications, "jx-licensing-officer").createApplication(CreateApplicationRequest
                .newBuilder().setRequestId(id()).setContent(dysprosiumToGermany(JIANGXI_ENTERPRISE, "42")).build())
                .getApplication();
        assertEquals("jx-licensing-officer", byOfficer.getCreatedBy());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> as(applications,
                "jx-licensing-officer").createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                        .setContent(dysprosiumToGermany(HUNAN_ENTERPRISE, "42")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
    }

    private static List<String> ids(ApplicationServiceGrpc.ApplicationServiceBlockingStub stub) {
        return stub.listApplications(ListApplicationsRequest.getDefaultInstance()).getApplicationsList().stream()
                .map(Application::getId).toList();
    }
}
