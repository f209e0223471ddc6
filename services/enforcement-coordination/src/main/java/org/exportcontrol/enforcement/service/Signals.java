package org.exportcontrol.enforcement.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.RaiseSignalResponse;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.enforcement.domain.ReferencePriceEntity;
import org.exportcontrol.enforcement.domain.SignalEntity;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Receives a signal: stores it, evaluates the rules of its kind in the latest published rule set
 * (with the jurisdiction's tightened thresholds) and raises or folds alerts. Runs inside the
 * idempotency transaction, so a repeated request id does nothing.
 */
@ApplicationScoped
public class Signals {

    @Inject
    RuleBook rules;
    @Inject
    Alerts alerts;

    /** @param raisedRules collects the rule code of each alert the signal raised (not of those it folded into) */
    public Uni<RaiseSignalResponse> raise(Caller caller, RaiseSignalRequest r, List<String> raisedRules) {
        SignalEntity s = new SignalEntity();
        s.id = UUID.randomUUID();
        s.requestId = r.getRequestId();
        s.kind = r.getKind().name();
        s.subjectType = r.getSubject().getType().name();
        s.subjectId = r.getSubject().getId();
        s.jurisdiction = r.getJurisdiction().getCode();
        s.exporter = r.getFactsOrDefault("exporter", null);
        s.quantity = RuleEvaluator.measured(r, "quantity").orElse(null);
        s.source = r.getSource().isEmpty() ? caller.subject() : r.getSource();
        s.receivedAt = Instant.now();
        s.occurredAt = r.hasOccurredAt() ? Timestamps.toInstant(r.getOccurredAt()) : s.receivedAt;
        s.payload = r.toByteArray();
        List<String> evidence = new ArrayList<>(r.getEvidenceIdsList());
        evidence.add("signal:" + s.id);
        return Panache.getSession().flatMap(session -> session.persist(s).chain(session::flush))
                .chain(() -> rules.latestVersion())
                .chain(version -> rules.effective(version, s.jurisdiction, s.kind))
                .chain(effective -> {
                    // A handful of rules per kind: evaluated one after the other in one transaction.
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (EffectiveRule rule : effective) {
                        chain = chain.chain(() -> evaluate(rule, r, s, evidence))
                                .chain(finding -> finding.isEmpty() ? Uni.createFrom().voidItem()
                                        : alerts.raiseOrFold(caller, finding.get(), r.getRequestId())
                                                .invoke(alert -> {
                                                    if (alert.signalCount == 1) {
                                                        raisedRules.add(alert.ruleCode);
                                                    }
                                                }).replaceWithVoid());
                    }
                    return chain;
                })
                .replaceWith(RaiseSignalResponse.newBuilder().setDuplicate(false).build());
    }

    private Uni<Optional<Alerts.Finding>> evaluate(EffectiveRule rule, RaiseSignalRequest r, SignalEntity s,
            List<String> evidence) {
        return switch (rule.code()) {
            case "UNDERVALUATION" -> undervaluation(rule, r, s, evidence);
            case "STRUCTURING" -> structuring(rule, s, evidence);
            default -> Uni.createFrom().item(RuleEvaluator.evaluate(rule.code(), rule.threshold(), r)
                    .map(summary -> new Alerts.Finding(rule, s.subjectType, s.subjectId, s.jurisdiction, summary,
                            evidence, s.occurredAt)));
        };
    }

    /** Declared unit price below the item's national reference price by more than the threshold (percent). */
    private Uni<Optional<Alerts.Finding>> undervaluation(EffectiveRule rule, RaiseSignalRequest r, SignalEntity s,
            List<String> evidence) {
        String item = r.getFactsOrDefault("item_code", "");
        if (!r.hasUnitPrice() || item.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        BigDecimal declared;
        try {
            declared = new BigDecimal(r.getUnitPrice().getAmount());
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Panache.getSession().flatMap(session -> session.find(ReferencePriceEntity.class, item)).map(ref -> {
            if (ref == null || !ref.currencyCode.equals(r.getUnitPrice().getCurrencyCode())
                    || ref.amount.signum() <= 0) {
                return Optional.<Alerts.Finding>empty();
            }
            BigDecimal below = ref.amount.subtract(declared).multiply(BigDecimal.valueOf(100))
                    .divide(ref.amount, 2, RoundingMode.HALF_UP);
            if (below.compareTo(rule.threshold()) <= 0) {
                return Optional.<Alerts.Finding>empty();
            }
            return Optional.of(new Alerts.Finding(rule, s.subjectType, s.subjectId, s.jurisdiction,
                    "declared unit price %s %s is %s %% below the reference price %s".formatted(declared.toPlainString(),
                            ref.currencyCode, below.toPlainString(), ref.amount.stripTrailingZeros().toPlainString()),
                    evidence, s.occurredAt));
        });
    }

    /** More than threshold declarations by one exporter within the window, each below the parameter quantity. */
    private Uni<Optional<Alerts.Finding>> structuring(EffectiveRule rule, SignalEntity s, List<String> evidence) {
        BigDecimal below = rule.rule().parameter;
        if (s.exporter == null || s.quantity == null || below == null || s.quantity.compareTo(below) >= 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant from = s.occurredAt.minus(Duration.ofHours(rule.rule().windowHours));
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                "select count(*) from SignalEntity where exporter = :e and kind = :k and occurredAt > :from"
                        + " and occurredAt <= :to and quantity < :q", Long.class)
                .setParameter("e", s.exporter).setParameter("k", SignalKind.SIGNAL_KIND_EXPORT_DECLARED.name())
                .setParameter("from", from).setParameter("to", s.occurredAt).setParameter("q", below)
                .getSingleResult())
                .map(count -> BigDecimal.valueOf(count).compareTo(rule.threshold()) > 0
                        ? Optional.of(new Alerts.Finding(rule, SubjectType.SUBJECT_TYPE_ENTERPRISE.name(), s.exporter,
                                s.jurisdiction, "%d export declarations below %s within %d h".formatted(count,
                                        below.stripTrailingZeros().toPlainString(), rule.rule().windowHours),
                                evidence, s.occurredAt))
                        : Optional.<Alerts.Finding>empty());
    }
}
