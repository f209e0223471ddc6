package org.exportcontrol.licensing.grpc;

import java.time.Instant;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.exportcontrol.api.licensing.v1.Enterprise;
import org.exportcontrol.api.licensing.v1.EnterpriseKind;
import org.exportcontrol.api.licensing.v1.EnterpriseService;
import org.exportcontrol.api.licensing.v1.EnterpriseStatus;
import org.exportcontrol.api.licensing.v1.GetEnterpriseRequest;
import org.exportcontrol.api.licensing.v1.GetEnterpriseResponse;
import org.exportcontrol.api.licensing.v1.ListEnterprisesRequest;
import org.exportcontrol.api.licensing.v1.ListEnterprisesResponse;
import org.exportcontrol.api.licensing.v1.RegisterEnterpriseRequest;
import org.exportcontrol.api.licensing.v1.RegisterEnterpriseResponse;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.domain.EnterpriseEntity;
import org.exportcontrol.licensing.service.Mapper;
import org.exportcontrol.licensing.service.Scopes;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.identifiers.CreditCode;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The enterprise registry: provincial commerce registers its province's enterprises. */
@GrpcService
@Authenticated
public class EnterpriseGrpcService implements EnterpriseService {

    private static final String LIST = "enterprises";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;

    @Override
    public Uni<RegisterEnterpriseResponse> registerEnterprise(RegisterEnterpriseRequest request) {
        access.require(LicensingAction.ENTERPRISE_REGISTER); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        Enterprise e = request.getEnterprise();
        String codeProblem = CreditCode.problem(e.getCreditCode());
        v.require("enterprise.credit_code", codeProblem == null, codeProblem);
        v.require("enterprise.name", !e.getName().isBlank() && e.getName().length() <= 200, "is required (at most 200 characters)");
        boolean province = Jurisdiction.isValid(e.getProvinceCode()) && !Jurisdiction.NATIONAL_CODE.equals(e.getProvinceCode());
        v.require("enterprise.province_code", province, "must be a GB/T 2260 province-level code such as 360000");
        if (province && codeProblem == null) {
            v.require("enterprise.province_code",
                    CreditCode.divisionCode(e.getCreditCode()).startsWith(e.getProvinceCode().substring(0, 2)),
                    "does not match the province the credit code was issued in");
        }
        v.require("enterprise.kinds", e.getKindsCount() > 0 && !e.getKindsList().contains(EnterpriseKind.ENTERPRISE_KIND_UNSPECIFIED)
                && e.getKindsList().stream().noneMatch(k -> k == EnterpriseKind.UNRECOGNIZED),
                "must name at least one kind (miner, separator, smelter, manufacturer, trader)");
        v.throwIfInvalid();
        Caller caller = access.require(LicensingAction.ENTERPRISE_REGISTER, Jurisdiction.of(e.getProvinceCode()));
        return idempotency.once(caller.subject(), "enterprise.register", request.getRequestId(), request,
                RegisterEnterpriseResponse.parser(), () -> Panache.getSession().flatMap(s -> s
                        .find(EnterpriseEntity.class, e.getCreditCode())
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(ApiErrors.alreadyExists("ENTERPRISE_EXISTS",
                                        "enterprise " + e.getCreditCode() + " is registered"));
                            }
                            EnterpriseEntity row = new EnterpriseEntity();
                            row.creditCode = e.getCreditCode();
                            row.name = e.getName();
                            row.provinceCode = e.getProvinceCode();
                            row.kinds = e.getKindsList().stream().distinct().map(Enum::name).collect(Collectors.joining(","));
                            row.status = EnterpriseStatus.ENTERPRISE_STATUS_ACTIVE.name();
                            row.registeredBy = caller.subject();
                            row.registeredAt = Instant.now();
                            Enterprise registered = Mapper.enterprise(row);
                            return s.persist(row)
                                    .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(row.provinceCode),
                                            "enterprise.register", "enterprise/" + row.creditCode, request.getRequestId())
                                            .withDigests(null, Digests.sha256Hex(registered))))
                                    .replaceWith(RegisterEnterpriseResponse.newBuilder().setEnterprise(registered).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<GetEnterpriseResponse> getEnterprise(GetEnterpriseRequest request) {
        Caller caller = access.require(LicensingAction.ENTERPRISE_READ);
        return Panache.getSession().flatMap(s -> s.find(EnterpriseEntity.class, request.getCreditCode()))
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("enterprise", request.getCreditCode()))
                .map(e -> {
                    Scopes.enterprise(caller, LicensingAction.ENTERPRISE_READ, e.provinceCode, e.creditCode);
                    return GetEnterpriseResponse.newBuilder().setEnterprise(Mapper.enterprise(e)).build();
                });
    }

    @Override
    @WithSession
    public Uni<ListEnterprisesResponse> listEnterprises(ListEnterprisesRequest request) {
        Caller caller = access.require(LicensingAction.ENTERPRISE_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(LIST, request.getPageToken());
        StringBuilder q = new StringBuilder("from EnterpriseEntity where creditCode > :after");
        if (!caller.jurisdiction().isNational()) {
            q.append(" and provinceCode = :province");
        }
        boolean own = Scopes.actsOnlyAsExporter(caller, LicensingAction.ENTERPRISE_READ);
        if (own) {
            q.append(" and creditCode = :own");
        }
        q.append(" order by creditCode");
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q.toString(), EnterpriseEntity.class)
                    .setParameter("after", after == null ? "" : after);
            if (!caller.jurisdiction().isNational()) {
                query.setParameter("province", caller.jurisdiction().code());
            }
            if (own) {
                query.setParameter("own", caller.enterprise().orElse(""));
            }
            return query.setMaxResults(size + 1).getResultList();
        }).map(rows -> {
            ListEnterprisesResponse.Builder b = ListEnterprisesResponse.newBuilder();
            rows.stream().limit(size).map(Mapper::enterprise).forEach(b::addEnterprises);
            if (rows.size() > size) {
                b.setNextPageToken(Paging.token(LIST, rows.get(size - 1).creditCode));
            }
            return b.build();
        });
    }
}
