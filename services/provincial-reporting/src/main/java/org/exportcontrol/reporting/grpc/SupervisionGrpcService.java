package org.exportcontrol.reporting.grpc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.identifiers.Dates;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.reporting.ReportingAction;
import org.exportcontrol.reporting.domain.ComplianceReviewEntity;
import org.exportcontrol.reporting.domain.SupervisionReportEntity;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Monthly supervision reports of the provinces and compliance reviews of enterprises. */
@GrpcService
@Authenticated
public class SupervisionGrpcService implements SupervisionService {

    private static final String REVIEWS = "compliance-reviews";
    private static final String STATUSES = "supervision-statuses";
    /** Reports are due by this day of the next month (Rare Earth Management Regulations). */
    static final int DUE_DAY = 10;

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;

    @Override
    public Uni<SubmitSupervisionReportResponse> submitSupervisionReport(SubmitSupervisionReportRequest request) {
        access.require(ReportingAction.SUPERVISION_REPORT_SUBMIT); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        boolean province = Jurisdiction.isValid(request.getProvinceCode()) && !Jurisdiction.NATIONAL_CODE.equals(request.getProvinceCode());
        v.require("province_code", province, "must be a GB/T 2260 province-level code");
        YearMonth period = period(v, request.getPeriod());
        v.require("period", period == null || !period.isAfter(YearMonth.from(ChinaTime.today())), "must not be in the future");
        v.require("summary", !request.getSummary().isBlank() && request.getSummary().length() <= 20000,
                "is required (at most 20000 characters)");
        v.throwIfInvalid();
        Caller caller = access.require(ReportingAction.SUPERVISION_REPORT_SUBMIT, Jurisdiction.of(request.getProvinceCode()));
        return idempotency.once(caller.subject(), "supervision-report.submit", request.getRequestId(), request,
                SubmitSupervisionReportResponse.parser(), () -> Panache.getSession().flatMap(s -> s
                        .find(SupervisionReportEntity.class, new SupervisionReportEntity.Key(request.getProvinceCode(), period.toString()))
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(ApiErrors.alreadyExists("REPORT_EXISTS", "the report of "
                                        + request.getProvinceCode() + " for " + period + " was submitted"));
                            }
                            SupervisionReportEntity e = new SupervisionReportEntity();
                            e.provinceCode = request.getProvinceCode();
                            e.period = period.toString();
                            e.summary = request.getSummary();
                            e.submittedBy = caller.subject();
                            e.submittedAt = Instant.now();
                            return s.persist(e).chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(e.provinceCode),
                                    "supervision-report.submit", "supervision-report/" + e.provinceCode + "/" + e.period,
                                    request.getRequestId()).withDigests(null, Digests.sha256Hex(e.summary))))
                                    .replaceWith(SubmitSupervisionReportResponse.newBuilder().setReport(report(e)).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListSupervisionReportsResponse> listSupervisionReports(ListSupervisionReportsRequest request) {
        access.require(ReportingAction.SUPERVISION_REPORT_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation();
        YearMonth period = period(v, request.getPeriod());
        v.throwIfInvalid();
        Caller caller = access.require(ReportingAction.SUPERVISION_REPORT_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(STATUSES, request.getPageToken());
        LocalDate due = dueDate(period);
        boolean national = caller.jurisdiction().isNational();
        return Panache.getSession().flatMap(s -> s.createSelectionQuery("from SupervisionReportEntity where period = :p",
                SupervisionReportEntity.class).setParameter("p", period.toString()).getResultList()
                .flatMap(reports -> s.createSelectionQuery("select distinct provinceCode from FacilityEntity", String.class)
                        .getResultList().map(provinces -> {
                            Map<String, SupervisionReportEntity> byProvince = reports.stream()
                                    .collect(Collectors.toMap(r -> r.provinceCode, r -> r));
                            // the provinces expected to report: those with facilities, and any that reported
                            TreeSet<String> expected = new TreeSet<>(provinces);
                            expected.addAll(byProvince.keySet());
                            if (!national) {
                                expected.retainAll(List.of(caller.jurisdiction().code()));
                                expected.add(caller.jurisdiction().code());
                            }
                            List<SupervisionReportStatus> statuses = new ArrayList<>();
                            for (String p : expected.tailSet(after == null ? "" : after, false)) {
                                SupervisionReportEntity r = byProvince.get(p);
                                SupervisionReportStatus.Builder st = SupervisionReportStatus.newBuilder().setProvinceCode(p)
                                        .setDueDate(Dates.of(due)).setOverdue(r == null && ChinaTime.today().isAfter(due));
                                if (r != null) {
                                    st.setReport(report(r));
                                }
                                statuses.add(st.build());
                            }
                            ListSupervisionReportsResponse.Builder b = ListSupervisionReportsResponse.newBuilder();
                            statuses.stream().limit(size).forEach(b::addStatuses);
                            if (statuses.size() > size) {
                                b.setNextPageToken(Paging.token(STATUSES, statuses.get(size - 1).getProvinceCode()));
                            }
                            return b.build();
                        })));
    }

    @Override
    public Uni<RecordComplianceReviewResponse> recordComplianceReview(RecordComplianceReviewRequest request) {
        access.require(ReportingAction.COMPLIANCE_REVIEW_RECORD); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        ComplianceReview r = request.getReview();
        String code = CreditCode.problem(r.getEnterpriseCreditCode());
        v.require("review.enterprise_credit_code", code == null, code);
        boolean province = Jurisdiction.isValid(r.getProvinceCode()) && !Jurisdiction.NATIONAL_CODE.equals(r.getProvinceCode());
        v.require("review.province_code", province, "must be a GB/T 2260 province-level code");
        LocalDate date = Dates.toLocalDate(r.getReviewDate());
        v.require("review.review_date", date != null && !date.isAfter(ChinaTime.today()), "must be a valid date, not in the future");
        v.require("review.findings", !r.getFindings().isBlank() && r.getFindings().length() <= 20000,
                "is required (at most 20000 characters)");
        v.require("review.risk_rating", r.getRiskRating() >= 1 && r.getRiskRating() <= 5, "must be 1 (low) to 5 (high)");
        v.throwIfInvalid();
        Caller caller = access.require(ReportingAction.COMPLIANCE_REVIEW_RECORD, Jurisdiction.of(r.getProvinceCode()));
        return idempotency.once(caller.subject(), "compliance-review.record", request.getRequestId(), request,
                RecordComplianceReviewResponse.parser(), () -> Panache.getSession().flatMap(s -> s
                        .createNativeQuery("select nextval('compliance_review_number')", Long.class).getSingleResult()
                        .flatMap(n -> {
                            ComplianceReviewEntity e = new ComplianceReviewEntity();
                            e.id = "CR-" + r.getProvinceCode() + "-" + n;
                            e.enterpriseCreditCode = r.getEnterpriseCreditCode();
                            e.provinceCode = r.getProvinceCode();
                            e.inspector = caller.subject();
                            e.reviewDate = date;
                            e.findings = r.getFindings();
                            e.riskRating = r.getRiskRating();
                            e.recordedAt = Instant.now();
                            return s.persist(e).chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(e.provinceCode),
                                    "compliance-review.record", "compliance-review/" + e.id, request.getRequestId())
                                    .withDigests(null, Digests.sha256Hex(e.findings + "|" + e.riskRating))))
                                    .replaceWith(RecordComplianceReviewResponse.newBuilder().setReview(review(e)).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListComplianceReviewsResponse> listComplianceReviews(ListComplianceReviewsRequest request) {
        Caller caller = access.require(ReportingAction.COMPLIANCE_REVIEW_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(REVIEWS, request.getPageToken());
        boolean national = caller.jurisdiction().isNational();
        boolean byEnterprise = !request.getEnterpriseCreditCode().isEmpty();
        String q = "from ComplianceReviewEntity where id > :after" + (national ? "" : " and provinceCode = :province")
                + (byEnterprise ? " and enterpriseCreditCode = :enterprise" : "") + " order by id";
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q, ComplianceReviewEntity.class).setParameter("after", after == null ? "" : after);
            if (!national) {
                query.setParameter("province", caller.jurisdiction().code());
            }
            if (byEnterprise) {
                query.setParameter("enterprise", request.getEnterpriseCreditCode());
            }
            return query.setMaxResults(size + 1).getResultList();
        }).map(rows -> {
            ListComplianceReviewsResponse.Builder b = ListComplianceReviewsResponse.newBuilder();
            rows.stream().limit(size).map(SupervisionGrpcService::review).forEach(b::addReviews);
            if (rows.size() > size) {
                b.setNextPageToken(Paging.token(REVIEWS, rows.get(size - 1).id));
            }
            return b.build();
        });
    }

    static LocalDate dueDate(YearMonth period) {
        return period.plusMonths(1).atDay(DUE_DAY);
    }

    private static YearMonth period(Validation v, String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            v.add("period", "must be a month \"YYYY-MM\"");
            return null;
        }
    }

    private static SupervisionReport report(SupervisionReportEntity e) {
        YearMonth period = YearMonth.parse(e.period);
        LocalDate due = dueDate(period);
        return SupervisionReport.newBuilder().setProvinceCode(e.provinceCode).setPeriod(e.period).setSummary(e.summary)
                .setSubmittedBy(e.submittedBy).setSubmittedAt(Timestamps.of(e.submittedAt)).setDueDate(Dates.of(due))
                .setLate(ChinaTime.dateOf(e.submittedAt).isAfter(due)).build();
    }

    private static ComplianceReview review(ComplianceReviewEntity e) {
        return ComplianceReview.newBuilder().setId(e.id).setEnterpriseCreditCode(e.enterpriseCreditCode)
                .setProvinceCode(e.provinceCode).setInspector(e.inspector).setReviewDate(Dates.of(e.reviewDate))
                .setFindings(e.findings).setRiskRating(e.riskRating).build();
    }
}
