package org.exportcontrol.licensing;

import static org.exportcontrol.licensing.LicensingFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.as;
import static org.exportcontrol.licensing.LicensingFixture.dysprosiumToGermany;
import static org.exportcontrol.licensing.LicensingFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Party;
import org.exportcontrol.api.licensing.v1.*;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/** The review chain with real people's tokens: exporter, provincial commerce, consulted customs, national reviewer. */
@QuarkusTest
class ApplicationReviewTest {

    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    @GrpcClient("licensing")
    ControlListServiceGrpc.ControlListServiceBlockingStub lists;

    LicensingFixture fixture;

    @BeforeEach
    void setUp() {
        LicensingFixture.resetDatabase();
        fixture = new LicensingFixture(applications, licences, enterprises, lists);
        fixture.registerDemoEnterprises();
    }

    @Test
    void anApplicationGoesTheWholeWayWithThreeDifferentPeople() {
        Application submitted = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "1000"));
        assertEquals(ApplicationState.APPLICATION_STATE_PROVINCIAL_REVIEW, submitted.getState());
        assertEquals("360000", submitted.getJurisdiction().getCode());
        assertTrue(submitted.hasDueDate(), "the review clock runs from submission");

        Application forwarded = as(applications, "jx-licensing-officer").reviewApplicationProvincially(
                ReviewApplicationProvinciallyRequest.newBuilder().setRequestId(id()).setId(submitted.getId())
                        .setDecision(Decision.DECISION_APPROVE).build()).getApplication();
        assertEquals(ApplicationState.APPLICATION_STATE_NATIONAL_REVIEW, forwarded.getState());
        assertEquals("jx-licensing-officer", forwarded.getProvincialReviewer());

        as(applications, "nat-licensing-reviewer").requestConsultation(RequestConsultationRequest.newBuilder()
                .setRequestId(id()).setId(submitted.getId()).addDepartments(Department.DEPARTMENT_CUSTOMS).build());
        double approvals = decisions("approve");
        StatusRuntimeException early = assertThrows(StatusRuntimeException.class,
                () -> decide("nat-licensing-reviewer", submitted.getId(), Decision.DECISION_APPROVE));
        assertEquals("CONSULTATION_PENDING", StatusDetails.reason(early).orElseThrow());

        Application advised = as(applications, "nat-customs-officer").giveConsultationAdvice(
                GiveConsultationAdviceRequest.newBuilder().setRequestId(id()).setId(submitted.getId())
                        .setAdvice(Advice.ADVICE_APPROVE_WITH_PROVISO)
                        .setReasons("Ship only through Shanghai customs with seals recorded").build()).getApplication();
        assertEquals(Advice.ADVICE_APPROVE_WITH_PROVISO, advised.getConsultations(0).getAdvice());
        assertEquals("nat-customs-officer", advised.getConsultations(0).getAdvisedBy());

        Application approved = decide("nat-licensing-reviewer", submitted.getId(), Decision.DECISION_APPROVE);
        assertEquals(ApplicationState.APPLICATION_STATE_APPROVED, approved.getState());
        assertEquals("nat-licensing-reviewer", approved.getDecidedBy());
        assertTrue(approved.getLicenceNumber().startsWith("EL-360000-"), approved.getLicenceNumber());
        assertEquals(approvals + 1, decisions("approve"), "the operators' dashboard counts the approval, not the refused try");

        Licence licence = as(licences, "jx-exporter").getLicence(GetLicenceRequest.newBuilder()
                .setNumber(approved.getLicenceNumber()).build()).getLicence();
        assertEquals(LicenceStatus.LICENCE_STATUS_ISSUED, licence.getStatus());
        assertEquals("1000", licence.getLines(0).getRemaining().getValue());
        assertEquals("DE", licence.getDestinationCountryCode());

        List<NotifyRequest> told = notificationsQueued();
        assertTrue(told.stream().anyMatch(n -> n.getCategory().equals("application.approved")
                && n.getRecipients(0).getEnterpriseCreditCode().equals(JIANGXI_ENTERPRISE)
                && n.getTitle().contains(approved.getLicenceNumber())), "the exporter is told of the decision");
        assertTrue(TestDatabase.count("select count(*) from audit_entry where subject = 'application/"
                + submitted.getId() + "'") >= 6, "every step is audited");
    }

    @Test
    void noOnePersonDoesBothReviews() {
        Application submitted = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "500"));
        StatusRuntimeException national = assertThrows(StatusRuntimeException.class,
                () -> as(applications, "nat-licensing-reviewer").reviewApplicationProvincially(
                        ReviewApplicationProvinciallyRequest.newBuilder().setRequestId(id()).setId(submitted.getId())
                                .setDecision(Decision.DECISION_APPROVE).build()));
        assertEquals("PROVINCIAL_LEVEL_ONLY", StatusDetails.reason(national).orElseThrow());

        as(applications, "jx-licensing-officer").reviewApplicationProvincially(ReviewApplicationProvinciallyRequest
                .newBuilder().setRequestId(id()).setId(submitted.getId()).setDecision(Decision.DECISION_APPROVE).build());
        StatusRuntimeException provincial = assertThrows(StatusRuntimeException.class,
                () -> decide("jx-licensing-officer", submitted.getId(), Decision.DECISION_APPROVE));
        assertEquals(Status.Code.PERMISSION_DENIED, provincial.getStatus().getCode());
        assertEquals(ApplicationState.APPLICATION_STATE_NATIONAL_REVIEW, get("nat-licensing-reviewer", submitted.getId()).getState());
    }

    @Test
    void aRequestForInformationStopsTheClockUntilTheExporterAnswers() {
        Application submitted = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "200"));
        Application asked = as(applications, "jx-licensing-officer").requestInformation(RequestInformationRequest
                .newBuilder().setRequestId(id()).setId(submitted.getId())
                .setQuestion("Send the end user's magnet production licence").build()).getApplication();
        assertEquals(ApplicationState.APPLICATION_STATE_INFORMATION_REQUESTED, asked.getState());
        assertFalse(asked.getOverdue());
        assertTrue(notificationsQueued().stream().anyMatch(n -> n.getCategory().equals("application.information-requested")));

        StatusRuntimeException stranger = assertThrows(StatusRuntimeException.class,
                () -> as(applications, "hn-exporter").answerInformationRequest(AnswerInformationRequestRequest
                        .newBuilder().setRequestId(id()).setId(submitted.getId()).setAnswer("no").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, stranger.getStatus().getCode());

        Application answered = as(applications, "jx-exporter").answerInformationRequest(AnswerInformationRequestRequest
                .newBuilder().setRequestId(id()).setId(submitted.getId()).setAnswer("Attached as EUC annex 2").build())
                .getApplication();
        assertEquals(ApplicationState.APPLICATION_STATE_PROVINCIAL_REVIEW, answered.getState());
        assertEquals("Attached as EUC annex 2", answered.getInformationRequests(0).getAnswer());
        assertEquals(submitted.getDueDate(), answered.getDueDate(), "answered the same day: no working day lost");
    }

    @Test
    void overdueApplicationsAreVisible() {
        Application late = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "100"));
        Application onTime = fixture.createAndSubmit("jx-exporter", dysprosiumToGermany(JIANGXI_ENTERPRISE, "150"));
        TestDatabase.execute("update application set due_date = current_date - 3 where id = '" + late.getId() + "'");

        ListApplicationsResponse overdue = as(applications, "jx-licensing-officer").listApplications(
                ListApplicationsRequest.newBuilder().setOverdueOnly(true).build());
        assertEquals(List.of(late.getId()), overdue.getApplicationsList().stream().map(Application::getId).toList());
        assertTrue(overdue.getApplications(0).getOverdue());
        assertFalse(get("jx-licensing-officer", onTime.getId()).getOverdue());
    }

    @Test
    void aWatchListedConsigneeIsFlaggedAtSubmission() {
        as(lists, "nat-licensing-officer").addWatchListEntry(AddWatchListEntryRequest.newBuilder().setRequestId(id())
                .setEntry(WatchListEntry.newBuilder().setName("Oman Transit Trading LLC").setCountryCode("OM")
                        .setReason("Transshipment of graphite to a third country (customs case)"))
                .build());
        ApplicationContent content = dysprosiumToGermany(JIANGXI_ENTERPRISE, "300").toBuilder()
                .setConsignee(Party.newBuilder().setName("OMAN TRANSIT TRADING CO., LTD.").setCountryCode("OM"))
                .setDestinationCountryCode("OM").build();
        Application submitted = fixture.createAndSubmit("jx-exporter", content);
        assertEquals(1, submitted.getScreeningHitsCount());
        assertEquals("consignee", submitted.getScreeningHits(0).getPartyRole());
        assertTrue(submitted.getScreeningHits(0).getScore() >= 0.85, "score " + submitted.getScreeningHits(0).getScore());
    }

    @Test
    void aLiveLicenceIsScreenedAgainWhenTheWatchListChanges() {
        Application approved = fixture.approved(dysprosiumToGermany(JIANGXI_ENTERPRISE, "800"));
        AddWatchListEntryResponse added = as(lists, "nat-licensing-officer").addWatchListEntry(AddWatchListEntryRequest
                .newBuilder().setRequestId(id()).setEntry(WatchListEntry.newBuilder().setName("Nordic Magnets Trading")
                        .addAliases("Nordic Magnet Trading").setCountryCode("DE").setReason("Diversion to an embargoed end user"))
                .build());
        assertEquals(List.of(approved.getLicenceNumber()), added.getFlaggedLicenceNumbersList());
        assertTrue(as(licences, "nat-licensing-reviewer").getLicence(GetLicenceRequest.newBuilder()
                .setNumber(approved.getLicenceNumber()).build()).getLicence().getFlagged());
        assertEquals(1, TestDatabase.count("select count(*) from outbox_message where destination = 'enforcement'"
                + " and method = 'exportcontrol.enforcement.v1.SignalService/RaiseSignal'"), "the hit is signalled");
    }

    @Test
    void anEmbargoedDestinationIsRefused() {
        as(lists, "nat-licensing-officer").addEmbargoedDestination(AddEmbargoedDestinationRequest.newBuilder()
                .setRequestId(id()).setCountryCode("KP").setReason("UN Security Council sanctions").build());
        ApplicationContent content = dysprosiumToGermany(JIANGXI_ENTERPRISE, "10").toBuilder()
                .setDestinationCountryCode("KP").build();
        var stub = as(applications, "jx-exporter");
        Application draft = stub.createApplication(CreateApplicationRequest.newBuilder().setRequestId(id())
                .setContent(content).build()).getApplication();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub.submitApplication(
                SubmitApplicationRequest.newBuilder().setRequestId(id()).setId(draft.getId()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertEquals("DESTINATION_EMBARGOED", StatusDetails.reason(refused).orElseThrow());
        assertEquals(ApplicationState.APPLICATION_STATE_DRAFT, get("jx-exporter", draft.getId()).getState());
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstAnswer() {
        CreateApplicationRequest request = CreateApplicationRequest.newBuilder().setRequestId(id())
                .setContent(dysprosiumToGermany(JIANGXI_ENTERPRISE, "10")).build();
        Application first = as(applications, "jx-exporter").createApplication(request).getApplication();
        Application again = as(applications, "jx-exporter").createApplication(request).getApplication();
        assertEquals(first.getId(), again.getId());
        assertEquals(1, TestDatabase.count("select count(*) from application"));
    }

    private Application decide(String user, String applicationId, Decision decision) {
        return as(applications, user).decideApplication(DecideApplicationRequest.newBuilder().setRequestId(id())
                .setId(applicationId).setDecision(decision).build()).getApplication();
    }

    /** Licence decisions as the operators' dashboard reads them (licensing_decisions_total); 0 before the first. */
    private static double decisions(String decision) {
        try {
            return org.exportcontrol.platform.testing.Metrics.value("licensing_decisions_total", "decision", decision);
        } catch (AssertionError none) {
            return 0;
        }
    }

    private Application get(String user, String applicationId) {
        return as(applications, user).getApplication(GetApplicationRequest.newBuilder().setId(applicationId).build())
                .getApplication();
    }

    /** The notifications licensing has committed to its outbox (delivery is notification's job). */
    static List<NotifyRequest> notificationsQueued() {
        return TestDatabase.outboxPayloads("notification", NotifyRequest.parser());
    }
}
