package org.exportcontrol.reporting;

import static org.exportcontrol.reporting.ReportingFixture.ENTERPRISE;
import static org.exportcontrol.reporting.ReportingFixture.MINE;
import static org.exportcontrol.reporting.ReportingFixture.SEPARATION;
import static org.exportcontrol.reporting.ReportingFixture.as;
import static org.exportcontrol.reporting.ReportingFixture.event;
import static org.exportcontrol.reporting.ReportingFixture.id;
import static org.exportcontrol.reporting.ReportingFixture.kg;
import static org.exportcontrol.reporting.ReportingFixture.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.identifiers.Dates;
import org.exportcontrol.platform.testing.TestDatabase;
import org.exportcontrol.reporting.service.OverdueShipments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Quotas consumed by extraction, monthly supervision reports, compliance reviews, overdue shipments. */
@QuarkusTest
@QuarkusTestResource(LicensingProcess.class)
class QuotaAndSupervisionTest {

    @GrpcClient("reporting")
    io.grpc.Channel reporting;
    @GrpcClient("reporting")
    FacilityServiceGrpc.FacilityServiceBlockingStub facilities;
    @GrpcClient("reporting")
    QuotaServiceGrpc.QuotaServiceBlockingStub quotas;
    @GrpcClient("reporting")
    SupervisionServiceGrpc.SupervisionServiceBlockingStub supervision;
    @Inject
    OverdueShipments overdue;

    final Instant t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        ReportingFixture.resetDatabase();
        TestDatabase.execute("truncate quota_allocation, supervision_report, compliance_review");
        ReportingFixture.registerFacilities(facilities);
    }

    @Test
    void extractionUsesTheMiningQuotaAndEachWholePercentIsSignalled() throws Exception {
        int year = ChinaTime.dateOf(t0).getYear();
        QuotaLedger set = as(quotas, "nat-industry-officer").setQuotaAllocation(SetQuotaAllocationRequest.newBuilder()
                .setRequestId(id()).setEnterpriseCreditCode(ENTERPRISE).setYear(year).setKind(QuotaKind.QUOTA_KIND_MINING)
                .setAllocated(Quantity.newBuilder().setValue("2").setUnit(QuantityUnit.QUANTITY_UNIT_TONNE)).build()).getLedger();
        assertEquals("0", set.getUsed().getValue());

        stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                event("Q-0001", MINE, t0).setExtracted(Extracted.newBuilder().setLotId("360000-Q-1").setMaterial("concentrate")
                        .setQuantity(kg("1500"))).build(),
                event("Q-0002", MINE, t0.plusSeconds(60)).setExtracted(Extracted.newBuilder().setLotId("360000-Q-2")
                        .setMaterial("concentrate").setQuantity(kg("550"))).build()));

        QuotaLedger ledger = as(quotas, "jx-supervisor").getQuotaLedger(GetQuotaLedgerRequest.newBuilder()
                .setEnterpriseCreditCode(ENTERPRISE).setYear(year).setKind(QuotaKind.QUOTA_KIND_MINING).build()).getLedger();
        assertEquals("2.05", ledger.getUsed().getValue(), "2,050 kg in tonnes");
        assertEquals("102.50", ledger.getUsePercent());

        List<String> signalled = TestDatabase.outboxPayloads("enforcement", RaiseSignalRequest.parser()).stream()
                .filter(s -> s.getKind() == SignalKind.SIGNAL_KIND_QUOTA_USE)
                .map(s -> s.getMeasurementsList().stream().filter(m -> m.getName().equals("use_percent")).findFirst()
                        .orElseThrow().getValue()).toList();
        assertFalse(signalled.isEmpty());
        assertEquals("102.50", signalled.get(signalled.size() - 1), "each crossing signalled with the latest figure");
        assertTrue(signalled.size() <= 2, "75 % and 102.5 % at most: " + signalled);

        StatusRuntimeException provincial = assertThrows(StatusRuntimeException.class, () -> as(quotas, "jx-supervisor")
                .setQuotaAllocation(SetQuotaAllocationRequest.newBuilder().setRequestId(id()).setEnterpriseCreditCode(ENTERPRISE)
                        .setYear(year).setKind(QuotaKind.QUOTA_KIND_MINING)
                        .setAllocated(Quantity.newBuilder().setValue("9").setUnit(QuantityUnit.QUANTITY_UNIT_TONNE)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, provincial.getStatus().getCode());
    }

    @Test
    void aMissingMonthlyReportIsFlaggedOverdue() {
        YearMonth lastMonth = YearMonth.from(ChinaTime.today()).minusMonths(2);
        ListSupervisionReportsResponse before = as(supervision, "nat-coordinator").listSupervisionReports(
                ListSupervisionReportsRequest.newBuilder().setPeriod(lastMonth.toString()).build());
        SupervisionReportStatus jiangxi = before.getStatusesList().stream().filter(s -> s.getProvinceCode().equals("360000"))
                .findFirst().orElseThrow();
        assertTrue(jiangxi.getOverdue(), "due on the 10th of the next month, long past");

        SupervisionReport report = as(supervision, "jx-supervisor").submitSupervisionReport(SubmitSupervisionReportRequest
                .newBuilder().setRequestId(id()).setProvinceCode("360000").setPeriod(lastMonth.toString())
                .setSummary("47 enterprises surveyed; ledgers complete; one separation plant under review").build()).getReport();
        assertTrue(report.getLate());
        SupervisionReportStatus after = as(supervision, "jx-supervisor").listSupervisionReports(ListSupervisionReportsRequest
                .newBuilder().setPeriod(lastMonth.toString()).build()).getStatuses(0);
        assertFalse(after.getOverdue());
        assertEquals("jx-supervisor", after.getReport().getSubmittedBy());

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> as(supervision, "hn-supervisor")
                .submitSupervisionReport(SubmitSupervisionReportRequest.newBuilder().setRequestId(id()).setProvinceCode("360000")
                        .setPeriod(lastMonth.toString()).setSummary("not mine").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
    }

    @Test
    void anInspectorRecordsAComplianceReviewOfTheirProvince() {
        ComplianceReview review = as(supervision, "jx-inspector").recordComplianceReview(RecordComplianceReviewRequest
                .newBuilder().setRequestId(id()).setReview(ComplianceReview.newBuilder().setEnterpriseCreditCode(ENTERPRISE)
                        .setProvinceCode("360000").setReviewDate(Dates.of(ChinaTime.today().minusDays(1)))
                        .setFindings("Ledger of concentrate receipts incomplete for October").setRiskRating(3)).build())
                .getReview();
        assertEquals("jx-inspector", review.getInspector());
        assertEquals(1, as(supervision, "nat-coordinator").listComplianceReviews(ListComplianceReviewsRequest.newBuilder()
                .setEnterpriseCreditCode(ENTERPRISE).build()).getReviewsCount());
        assertEquals(0, as(supervision, "hn-inspector").listComplianceReviews(ListComplianceReviewsRequest.getDefaultInstance())
                .getReviewsCount());
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> as(supervision, "jx-inspector")
                .recordComplianceReview(RecordComplianceReviewRequest.newBuilder().setRequestId(id())
                        .setReview(review.toBuilder().setRiskRating(7)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }

    @Test
    void aShipmentPastItsExpectedArrivalIsSignalledWithHoursOverdue() throws Exception {
        stream(ChainEventServiceGrpc.newStub(reporting), "360000", List.of(
                event("O-0001", MINE, t0).setExtracted(Extracted.newBuilder().setLotId("360000-O-1").setMaterial("concentrate")
                        .setQuantity(kg("800"))).build(),
                event("O-0002", MINE, t0.plusSeconds(60)).setShipped(Shipped.newBuilder().setShipmentId("360000-SHP-O-1")
                        .setLotId("360000-O-1").setQuantity(kg("800")).setToFacilityId(SEPARATION).setCarrier("Gan Logistics")
                        .setExpectedArrival(Timestamps.of(t0.plus(5, ChronoUnit.HOURS)))).build()));
        assertEquals(1, overdue.signalOverdue().await().indefinitely());
        assertEquals(0, overdue.signalOverdue().await().indefinitely(), "signalled again only after an hour");
        RaiseSignalRequest signal = TestDatabase.outboxPayloads("enforcement", RaiseSignalRequest.parser()).stream()
                .filter(s -> s.getKind() == SignalKind.SIGNAL_KIND_SHIPMENT_OVERDUE).findFirst().orElseThrow();
        assertEquals("360000-SHP-O-1", signal.getSubject().getId());
        long hours = Long.parseLong(signal.getMeasurementsList().stream().filter(m -> m.getName().equals("hours_overdue"))
                .findFirst().orElseThrow().getValue());
        assertTrue(hours >= 42 && hours <= 43, "about 43 hours overdue, was " + hours);
    }
}
