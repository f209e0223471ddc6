package org.exportcontrol.reporting.grpc;

import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;

import org.exportcontrol.api.reporting.v1.*;
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
import org.exportcontrol.reporting.ReportingAction;
import org.exportcontrol.reporting.domain.FacilityEntity;
import org.exportcontrol.reporting.service.MassBalanceService;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Facilities and their mass balances. */
@GrpcService
@Authenticated
public class FacilityGrpcService implements FacilityService {

    private static final String LIST = "facilities";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;
    @Inject
    MassBalanceService massBalance;
    @Inject
    Pool pool;

    @Override
    public Uni<RegisterFacilityResponse> registerFacility(RegisterFacilityRequest request) {
        access.require(ReportingAction.FACILITY_REGISTER); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        Facility f = request.getFacility();
        boolean province = Jurisdiction.isValid(f.getProvinceCode()) && !Jurisdiction.NATIONAL_CODE.equals(f.getProvinceCode());
        v.require("facility.province_code", province, "must be a GB/T 2260 province-level code such as 360000");
        v.require("facility.id", f.getId().matches("\\d{6}-[A-Za-z0-9_.-]{1,60}") && f.getId().startsWith(f.getProvinceCode() + "-"),
                "must be \"<province code>-<local id>\", e.g. 360000-SEP-001");
        v.require("facility.kind", f.getKind() != FacilityKind.FACILITY_KIND_UNSPECIFIED && f.getKind() != FacilityKind.UNRECOGNIZED,
                "is required");
        v.require("facility.name", !f.getName().isBlank() && f.getName().length() <= 200, "is required (at most 200 characters)");
        String code = CreditCode.problem(f.getEnterpriseCreditCode());
        v.require("facility.enterprise_credit_code", code == null, code);
        v.require("facility.latitude", f.getLatitude().isEmpty() || f.getLatitude().matches("-?\\d{1,2}(\\.\\d{1,7})?"),
                "must be decimal degrees");
        v.require("facility.longitude", f.getLongitude().isEmpty() || f.getLongitude().matches("-?\\d{1,3}(\\.\\d{1,7})?"),
                "must be decimal degrees");
        v.throwIfInvalid();
        Caller caller = access.require(ReportingAction.FACILITY_REGISTER, Jurisdiction.of(f.getProvinceCode()));
        return idempotency.once(caller.subject(), "facility.register", request.getRequestId(), request,
                RegisterFacilityResponse.parser(), () -> Panache.getSession().flatMap(s -> s.find(FacilityEntity.class, f.getId())
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(ApiErrors.alreadyExists("FACILITY_EXISTS",
                                        "facility " + f.getId() + " is registered"));
                            }
                            FacilityEntity e = new FacilityEntity();
                            e.id = f.getId();
                            e.kind = f.getKind().name().substring("FACILITY_KIND_".length());
                            e.name = f.getName();
                            e.enterpriseCreditCode = f.getEnterpriseCreditCode();
                            e.provinceCode = f.getProvinceCode();
                            e.address = f.getAddress();
                            e.latitude = f.getLatitude();
                            e.longitude = f.getLongitude();
                            e.registeredBy = caller.subject();
                            e.registeredAt = Instant.now();
                            return s.persist(e).chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(e.provinceCode),
                                    "facility.register", "facility/" + e.id, request.getRequestId())
                                    .withDigests(null, Digests.sha256Hex(f))))
                                    .replaceWith(RegisterFacilityResponse.newBuilder().setFacility(toProto(e)).build());
                        })))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<GetFacilityResponse> getFacility(GetFacilityRequest request) {
        Caller caller = access.require(ReportingAction.FACILITY_READ);
        return Panache.getSession().flatMap(s -> s.find(FacilityEntity.class, request.getId()))
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("facility", request.getId()))
                .map(e -> {
                    AccessControl.check(caller, ReportingAction.FACILITY_READ, Jurisdiction.of(e.provinceCode));
                    return GetFacilityResponse.newBuilder().setFacility(toProto(e)).build();
                });
    }

    @Override
    @WithSession
    public Uni<ListFacilitiesResponse> listFacilities(ListFacilitiesRequest request) {
        Caller caller = access.require(ReportingAction.FACILITY_READ);
        int size = Paging.pageSize(request.getPageSize());
        String after = Paging.position(LIST, request.getPageToken());
        boolean national = caller.jurisdiction().isNational();
        String q = "from FacilityEntity where id > :after" + (national ? "" : " and provinceCode = :province") + " order by id";
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q, FacilityEntity.class).setParameter("after", after == null ? "" : after);
            if (!national) {
                query.setParameter("province", caller.jurisdiction().code());
            }
            return query.setMaxResults(size + 1).getResultList();
        }).map(rows -> {
            ListFacilitiesResponse.Builder b = ListFacilitiesResponse.newBuilder();
            rows.stream().limit(size).map(FacilityGrpcService::toProto).forEach(b::addFacilities);
            if (rows.size() > size) {
                b.setNextPageToken(Paging.token(LIST, rows.get(size - 1).id));
            }
            return b.build();
        });
    }

    @Override
    @WithSession
    public Uni<GetMassBalanceResponse> getMassBalance(GetMassBalanceRequest request) {
        access.require(ReportingAction.MASS_BALANCE_READ); // role before input: no field errors for a caller without it
        YearMonth period;
        try {
            period = YearMonth.parse(request.getPeriod());
        } catch (DateTimeParseException e) {
            throw ApiErrors.invalidArgument("period", "must be a month \"YYYY-MM\"");
        }
        Caller caller = access.require(ReportingAction.MASS_BALANCE_READ);
        return Panache.getSession().flatMap(s -> s.find(FacilityEntity.class, request.getFacilityId()))
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("facility", request.getFacilityId()))
                .flatMap(f -> {
                    AccessControl.check(caller, ReportingAction.MASS_BALANCE_READ, Jurisdiction.of(f.provinceCode));
                    return massBalance.compute(pool, f.id, period);
                })
                .map(balance -> GetMassBalanceResponse.newBuilder().setBalance(balance != null ? balance
                        : MassBalance.newBuilder().setFacilityId(request.getFacilityId()).setPeriod(period.toString())
                                .setLossPercent("0").build()).build());
    }

    static Facility toProto(FacilityEntity e) {
        return Facility.newBuilder().setId(e.id).setKind(FacilityKind.valueOf("FACILITY_KIND_" + e.kind)).setName(e.name)
                .setEnterpriseCreditCode(e.enterpriseCreditCode).setProvinceCode(e.provinceCode).setAddress(e.address)
                .setLatitude(e.latitude).setLongitude(e.longitude).build();
    }
}
