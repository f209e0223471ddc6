package org.exportcontrol.reporting.grpc;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.*;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.reporting.ReportingAction;
import org.exportcontrol.reporting.domain.QuotaAllocationEntity;
import org.exportcontrol.reporting.service.QuotaLedgers;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Quota allocations (national industry) and ledgers. */
@GrpcService
@Authenticated
public class QuotaGrpcService implements QuotaService {

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;
    @Inject
    QuotaLedgers ledgers;
    @Inject
    Pool pool;

    @Override
    public Uni<SetQuotaAllocationResponse> setQuotaAllocation(SetQuotaAllocationRequest request) {
        access.require(ReportingAction.QUOTA_SET, Jurisdiction.NATIONAL); // role and level before input
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        String code = CreditCode.problem(request.getEnterpriseCreditCode());
        v.require("enterprise_credit_code", code == null, code);
        v.require("year", request.getYear() >= 2000 && request.getYear() <= 2100, "must be between 2000 and 2100");
        kind(v, request.getKind());
        BigDecimal allocated = v.positiveDecimal("allocated.value", request.getAllocated().getValue());
        v.require("allocated.unit", request.getAllocated().getUnit() != QuantityUnit.QUANTITY_UNIT_UNSPECIFIED
                && request.getAllocated().getUnit() != QuantityUnit.QUANTITY_UNIT_PIECE
                && request.getAllocated().getUnit() != QuantityUnit.UNRECOGNIZED, "must be a unit of mass");
        v.throwIfInvalid();
        Caller caller = access.require(ReportingAction.QUOTA_SET, Jurisdiction.NATIONAL);
        if (!caller.jurisdiction().isNational()) {
            throw ApiErrors.permissionDenied("NATIONAL_LEVEL_ONLY", "quotas are allocated by national industry");
        }
        String kind = request.getKind().name().substring("QUOTA_KIND_".length());
        return idempotency.once(caller.subject(), "quota.set", request.getRequestId(), request,
                SetQuotaAllocationResponse.parser(), () -> Panache.getSession().flatMap(s -> s
                        .find(QuotaAllocationEntity.class, new QuotaAllocationEntity.Key(request.getEnterpriseCreditCode(),
                                request.getYear(), kind))
                        .flatMap(existing -> {
                            QuotaAllocationEntity e = existing != null ? existing : new QuotaAllocationEntity();
                            String before = existing == null ? null : Digests.sha256Hex(existing.unit + existing.allocated);
                            e.enterpriseCreditCode = request.getEnterpriseCreditCode();
                            e.year = request.getYear();
                            e.kind = kind;
                            e.unit = request.getAllocated().getUnit().name();
                            e.allocated = allocated;
                            e.setBy = caller.subject();
                            e.setAt = Instant.now();
                            return (existing == null ? s.persist(e) : Uni.createFrom().voidItem())
                                    .chain(s::flush)
                                    .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL, "quota.set",
                                            "quota/" + e.enterpriseCreditCode + "/" + e.year + "/" + e.kind,
                                            request.getRequestId()).withDigests(before, Digests.sha256Hex(e.unit + e.allocated))))
                                    .chain(() -> ledgers.ledgerFor(pool, e.enterpriseCreditCode, e.year, request.getKind(), e.unit, e.allocated))
                                    .map(ledger -> SetQuotaAllocationResponse.newBuilder().setLedger(ledger).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<GetQuotaLedgerResponse> getQuotaLedger(GetQuotaLedgerRequest request) {
        access.require(ReportingAction.QUOTA_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation();
        String code = CreditCode.problem(request.getEnterpriseCreditCode());
        v.require("enterprise_credit_code", code == null, code);
        kind(v, request.getKind());
        v.throwIfInvalid();
        // the enterprise's province is the one its credit code was issued in
        String province = CreditCode.divisionCode(request.getEnterpriseCreditCode()).substring(0, 2) + "0000";
        Caller caller = access.require(ReportingAction.QUOTA_READ, Jurisdiction.parse(province).orElse(Jurisdiction.NATIONAL));
        return ledgers.ledger(pool, request.getEnterpriseCreditCode(), request.getYear(), request.getKind())
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("quota", request.getEnterpriseCreditCode() + "/"
                        + request.getYear() + "/" + request.getKind()))
                .map(ledger -> GetQuotaLedgerResponse.newBuilder().setLedger(ledger).build());
    }

    private static void kind(Validation v, QuotaKind kind) {
        v.require("kind", kind == QuotaKind.QUOTA_KIND_MINING || kind == QuotaKind.QUOTA_KIND_SMELTING_SEPARATION,
                "must be QUOTA_KIND_MINING or QUOTA_KIND_SMELTING_SEPARATION");
    }
}
