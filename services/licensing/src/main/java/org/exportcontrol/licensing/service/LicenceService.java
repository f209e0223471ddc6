package org.exportcontrol.licensing.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.licensing.v1.CancelDeclarationResponse;
import org.exportcontrol.api.licensing.v1.CheckAndDecrementRequest;
import org.exportcontrol.api.licensing.v1.CheckAndDecrementResponse;
import org.exportcontrol.api.licensing.v1.Licence;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.domain.LicenceEntity;
import org.exportcontrol.licensing.domain.LicenceLineEntity;
import org.exportcontrol.licensing.domain.LicenceUsageEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Licences and their use. {@link #checkAndDecrement} takes a declared quantity off a licence
 * line with one conditional UPDATE (remaining >= quantity), so concurrent declarations can never
 * overdraw a line; the declaration id makes the call idempotent.
 */
@ApplicationScoped
public class LicenceService {

    @Inject
    AuditLog audit;
    @Inject
    Outgoing outgoing;

    public Uni<CheckAndDecrementResponse> checkAndDecrement(Caller caller, CheckAndDecrementRequest r) {
        BigDecimal quantity = new BigDecimal(r.getQuantity().getValue());
        String unit = r.getQuantity().getUnit().name();
        return Panache.getSession().flatMap(s -> findLicence(s, r.getLicenceNumber())
                .flatMap(licence -> lines(s, licence.number).flatMap(lines -> {
                    refuseUnusable(licence, lines);
                    if (!licence.exporterCreditCode.equals(r.getExporterCreditCode())) {
                        throw refusal("EXPORTER_MISMATCH", "licence " + licence.number + " belongs to another exporter", licence);
                    }
                    if (!licence.destination.equals(r.getDestinationCountryCode())) {
                        throw refusal("DESTINATION_MISMATCH", "licence " + licence.number + " is for destination "
                                + licence.destination + ", not " + r.getDestinationCountryCode(), licence);
                    }
                    LicenceLineEntity line = lines.stream()
                            .filter(l -> l.itemCode.equals(r.getItem().getItemCode()))
                            .filter(l -> r.getItem().getTariffCode().isEmpty() || l.tariffCode.equals(r.getItem().getTariffCode()))
                            .findFirst()
                            .orElseThrow(() -> refusal("ITEM_NOT_ON_LICENCE", "licence " + licence.number
                                    + " does not cover item " + r.getItem().getItemCode() + " " + r.getItem().getTariffCode(), licence));
                    if (!line.unit.equals(unit)) {
                        throw refusal("UNIT_MISMATCH", "line " + line.lineNumber + " is counted in " + line.unit, licence);
                    }
                    return s.createMutationQuery("update LicenceLineEntity set remaining = remaining - :q"
                            + " where licenceNumber = :n and lineNumber = :line and remaining >= :q")
                            .setParameter("q", quantity).setParameter("n", licence.number)
                            .setParameter("line", line.lineNumber)
                            .executeUpdate()
                            .flatMap(updated -> {
                                if (updated == 0) {
                                    return Uni.createFrom().failure(ApiErrors.failedPrecondition("LICENCE_BALANCE_EXCEEDED",
                                            "line " + line.lineNumber + " of licence " + licence.number + " has "
                                                    + line.remaining.stripTrailingZeros().toPlainString() + " " + line.unit
                                                    + " left, less than the " + quantity.toPlainString() + " declared",
                                            Map.of("licence_number", licence.number, "remaining",
                                                    line.remaining.stripTrailingZeros().toPlainString())));
                                }
                                LicenceUsageEntity usage = new LicenceUsageEntity();
                                usage.declarationId = r.getDeclarationId();
                                usage.licenceNumber = licence.number;
                                usage.lineNumber = line.lineNumber;
                                usage.quantity = quantity;
                                usage.destination = r.getDestinationCountryCode();
                                usage.usedAt = Instant.now();
                                return s.persist(usage)
                                        .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.of(licence.jurisdiction),
                                                "licence.decrement", "licence/" + licence.number, r.getDeclarationId())
                                                .withDigests(null, Digests.sha256Hex(r))))
                                        .chain(() -> remaining(s, licence.number, line.lineNumber))
                                        .map(left -> CheckAndDecrementResponse.newBuilder()
                                                .setLineNumber(line.lineNumber)
                                                .setRemaining(Mapper.quantity(left, line.unit)).build());
                            });
                })));
    }

    public Uni<CancelDeclarationResponse> cancelDeclaration(Caller caller, String declarationId, String requestId) {
        return Panache.getSession().flatMap(s -> s.find(LicenceUsageEntity.class, declarationId)
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("declaration", declarationId))
                .flatMap(usage -> {
                    LicenceLineEntity.Key key = new LicenceLineEntity.Key();
                    key.licenceNumber = usage.licenceNumber;
                    key.lineNumber = usage.lineNumber;
                    if (usage.cancelledAt != null) {
                        return s.find(LicenceLineEntity.class, key).map(line -> CancelDeclarationResponse.newBuilder()
                                .setRemaining(Mapper.quantity(line.remaining, line.unit)).build());
                    }
                    usage.cancelledAt = Instant.now();
                    return s.createMutationQuery("update LicenceLineEntity set remaining = remaining + :q"
                            + " where licenceNumber = :n and lineNumber = :line")
                            .setParameter("q", usage.quantity).setParameter("n", usage.licenceNumber)
                            .setParameter("line", usage.lineNumber).executeUpdate()
                            .chain(() -> findLicence(s, usage.licenceNumber))
                            .flatMap(licence -> audit.append(AuditRecord.of(caller, Jurisdiction.of(licence.jurisdiction),
                                    "licence.recredit", "licence/" + licence.number, requestId)))
                            .chain(() -> s.find(LicenceLineEntity.class, key))
                            .flatMap(line -> remaining(s, usage.licenceNumber, usage.lineNumber)
                                    .map(left -> CancelDeclarationResponse.newBuilder()
                                            .setRemaining(Mapper.quantity(left, line.unit)).build()));
                }));
    }

    public Uni<Licence> requestSuspension(Caller caller, String number, String caseId, String reason,
            boolean revocationRequested, String requestId) {
        return Panache.getSession().flatMap(s -> findLicence(s, number).flatMap(licence -> {
            if (LicenceEntity.Status.REVOKED.name().equals(licence.status)) {
                throw refusal("LICENCE_REVOKED", "licence " + number + " is already revoked", licence);
            }
            String before = licence.status;
            licence.status = LicenceEntity.Status.SUSPENDED.name();
            licence.statusReason = "suspended at the request of enforcement case " + caseId + ": " + reason;
            licence.revocationRequested = licence.revocationRequested || revocationRequested;
            return audit.append(AuditRecord.of(caller, Jurisdiction.of(licence.jurisdiction), "licence.suspend",
                    "licence/" + number, requestId).withDigests(Digests.sha256Hex(before), Digests.sha256Hex(licence.status)))
                    .chain(() -> outgoing.signalLicence(SignalKind.SIGNAL_KIND_LICENCE_SUSPENDED, number,
                            licence.jurisdiction, Map.of("case_id", caseId, "reason", reason,
                                    "revocation_requested", Boolean.toString(licence.revocationRequested)),
                            List.of(number, caseId)))
                    .chain(() -> outgoing.tellEnterprise(licence.exporterCreditCode, licence.jurisdiction,
                            "licence.suspended", "Licence " + number + " suspended", licence.statusReason,
                            "/licences/" + number))
                    .chain(() -> toProto(s, licence));
        }));
    }

    public Uni<Licence> decideSuspension(Caller caller, String number, boolean revoke, String reasons, String requestId) {
        return Panache.getSession().flatMap(s -> findLicence(s, number).flatMap(licence -> {
            if (!LicenceEntity.Status.SUSPENDED.name().equals(licence.status)) {
                throw ApiErrors.failedPrecondition("LICENCE_NOT_SUSPENDED", "licence " + number + " is " + licence.status
                        + "; only a suspended licence is revoked or reinstated");
            }
            licence.status = (revoke ? LicenceEntity.Status.REVOKED : LicenceEntity.Status.ISSUED).name();
            licence.statusReason = (revoke ? "revoked: " : "reinstated: ") + reasons;
            licence.revocationRequested = false;
            Uni<Void> signal = revoke
                    ? outgoing.signalLicence(SignalKind.SIGNAL_KIND_LICENCE_REVOKED, number, licence.jurisdiction,
                            Map.of("reasons", reasons), List.of(number))
                    : Uni.createFrom().voidItem();
            return audit.append(AuditRecord.of(caller, Jurisdiction.of(licence.jurisdiction),
                    revoke ? "licence.revoke" : "licence.reinstate", "licence/" + number, requestId)
                    .withDigests(Digests.sha256Hex(LicenceEntity.Status.SUSPENDED.name()), Digests.sha256Hex(licence.status)))
                    .chain(() -> signal)
                    .chain(() -> outgoing.tellEnterprise(licence.exporterCreditCode, licence.jurisdiction,
                            revoke ? "licence.revoked" : "licence.reinstated",
                            "Licence " + number + (revoke ? " revoked" : " reinstated"), licence.statusReason,
                            "/licences/" + number))
                    .chain(() -> toProto(s, licence));
        }));
    }

    public Uni<Licence> get(Caller caller, String number) {
        return Panache.getSession().flatMap(s -> findLicence(s, number).flatMap(licence -> {
            Scopes.enterprise(caller, LicensingAction.LICENCE_READ, licence.jurisdiction, licence.exporterCreditCode);
            return toProto(s, licence);
        }));
    }

    public Uni<List<Licence>> list(Caller caller, String after, int limit) {
        StringBuilder q = new StringBuilder("from LicenceEntity where number > :after");
        boolean national = caller.jurisdiction().isNational();
        boolean own = Scopes.actsOnlyAsExporter(caller, LicensingAction.LICENCE_READ);
        if (!national) {
            q.append(" and jurisdiction = :jurisdiction");
        }
        if (own) {
            q.append(" and exporterCreditCode = :own");
        }
        q.append(" order by number");
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q.toString(), LicenceEntity.class).setParameter("after", after);
            if (!national) {
                query.setParameter("jurisdiction", caller.jurisdiction().code());
            }
            if (own) {
                query.setParameter("own", caller.enterprise().orElse(""));
            }
            return query.setMaxResults(limit).getResultList().flatMap(rows -> {
                Uni<List<Licence>> all = Uni.createFrom().item(new java.util.ArrayList<>());
                for (LicenceEntity licence : rows) {
                    all = all.flatMap(list -> toProto(s, licence).map(l -> {
                        list.add(l);
                        return list;
                    }));
                }
                return all;
            });
        });
    }

    /** Refusals that do not depend on the declaration: revoked, suspended, outside validity, exhausted. */
    private static void refuseUnusable(LicenceEntity licence, List<LicenceLineEntity> lines) {
        LocalDate today = ChinaTime.today();
        if (LicenceEntity.Status.REVOKED.name().equals(licence.status)) {
            throw refusal("LICENCE_REVOKED", "licence " + licence.number + " is revoked", licence);
        }
        if (LicenceEntity.Status.SUSPENDED.name().equals(licence.status)) {
            throw refusal("LICENCE_SUSPENDED", "licence " + licence.number + " is suspended", licence);
        }
        if (today.isAfter(licence.validUntil)) {
            throw refusal("LICENCE_EXPIRED", "licence " + licence.number + " expired on " + licence.validUntil, licence);
        }
        if (today.isBefore(licence.validFrom)) {
            throw refusal("LICENCE_NOT_YET_VALID", "licence " + licence.number + " is valid from " + licence.validFrom, licence);
        }
        if (lines.stream().allMatch(l -> l.remaining.signum() == 0)) {
            throw refusal("LICENCE_EXHAUSTED", "licence " + licence.number + " is used up", licence);
        }
    }

    private static RuntimeException refusal(String reason, String message, LicenceEntity licence) {
        return ApiErrors.failedPrecondition(reason, message, Map.of("licence_number", licence.number));
    }

    /** The balance as the database has it now (after a bulk update the session's copy is stale). */
    private static Uni<BigDecimal> remaining(Mutiny.Session s, String number, int lineNumber) {
        return s.createSelectionQuery("select remaining from LicenceLineEntity where licenceNumber = :n"
                + " and lineNumber = :line", BigDecimal.class).setParameter("n", number).setParameter("line", lineNumber)
                .getSingleResult();
    }

    private static Uni<LicenceEntity> findLicence(Mutiny.Session s, String number) {
        return s.find(LicenceEntity.class, number).onItem().ifNull().failWith(() -> ApiErrors.notFound("licence", number));
    }

    private static Uni<List<LicenceLineEntity>> lines(Mutiny.Session s, String number) {
        return s.createSelectionQuery("from LicenceLineEntity where licenceNumber = :n order by lineNumber",
                LicenceLineEntity.class).setParameter("n", number).getResultList();
    }

    private static Uni<Licence> toProto(Mutiny.Session s, LicenceEntity licence) {
        return lines(s, licence.number).map(lines -> Mapper.licence(licence, lines));
    }
}
