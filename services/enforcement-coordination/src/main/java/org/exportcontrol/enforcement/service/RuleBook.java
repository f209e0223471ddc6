package org.exportcontrol.enforcement.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.enforcement.v1.Rule;
import org.exportcontrol.api.enforcement.v1.RuleSet;
import org.exportcontrol.api.enforcement.v1.SetReferencePriceResponse;
import org.exportcontrol.api.enforcement.v1.Severity;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.ThresholdChange;
import org.exportcontrol.api.enforcement.v1.Tighter;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.domain.JurisdictionThresholdEntity;
import org.exportcontrol.enforcement.domain.ReferencePriceEntity;
import org.exportcontrol.enforcement.domain.RuleEntity;
import org.exportcontrol.enforcement.domain.RuleSetEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Published rule sets, provincial tightenings and reference prices. Every change is audited. */
@ApplicationScoped
public class RuleBook {

    @Inject
    AuditLog audit;

    /** The latest published version. */
    public Uni<Integer> latestVersion() {
        return Panache.getSession().flatMap(s -> s.createSelectionQuery("select max(version) from RuleSetEntity",
                Integer.class).getSingleResult());
    }

    /** The rules of a version as they apply in a jurisdiction (null kind: every rule). */
    public Uni<List<EffectiveRule>> effective(int version, String jurisdiction, String kind) {
        return Panache.getSession().flatMap(s -> (kind == null
                ? s.createSelectionQuery("from RuleEntity where version = :v order by code", RuleEntity.class)
                        .setParameter("v", version)
                : s.createSelectionQuery("from RuleEntity where version = :v and signalKind = :k order by code",
                        RuleEntity.class).setParameter("v", version).setParameter("k", kind))
                .getResultList()
                .flatMap(rules -> s.createSelectionQuery("from JurisdictionThresholdEntity where jurisdiction = :j",
                        JurisdictionThresholdEntity.class).setParameter("j", jurisdiction).getResultList()
                        .map(tightened -> {
                            Map<String, BigDecimal> own = new HashMap<>();
                            tightened.forEach(t -> own.put(t.code, t.threshold));
                            List<EffectiveRule> out = new ArrayList<>();
                            for (RuleEntity r : rules) {
                                BigDecimal p = own.get(r.code);
                                if (r.threshold != null && p != null && r.atLeastAsTight(p, r.threshold)
                                        && p.compareTo(r.threshold) != 0) {
                                    out.add(new EffectiveRule(r, p, jurisdiction));
                                } else {
                                    out.add(new EffectiveRule(r, r.threshold, ""));
                                }
                            }
                            return out;
                        })));
    }

    public Uni<RuleSet> get(int version, String jurisdiction) {
        Uni<Integer> v = version > 0 ? Uni.createFrom().item(version) : latestVersion();
        return v.flatMap(ver -> Panache.getSession().flatMap(s -> s.find(RuleSetEntity.class, ver))
                .flatMap(set -> {
                    if (set == null) {
                        return Uni.createFrom().failure(ApiErrors.notFound("rule set", "v" + ver));
                    }
                    return effective(ver, jurisdiction, null).map(rules -> toProto(set, rules));
                }));
    }

    /** A new version: the latest with the given threshold changes. National coordinators only. */
    public Uni<RuleSet> publish(Caller caller, List<ThresholdChange> changes, String note, String requestId) {
        return latestVersion().flatMap(latest -> effective(latest, Jurisdiction.NATIONAL_CODE, null).flatMap(current -> {
            int next = latest + 1;
            Map<String, RuleEntity> byCode = new HashMap<>();
            current.forEach(e -> byCode.put(e.code(), e.rule().copy(next)));
            for (ThresholdChange c : changes) {
                RuleEntity r = byCode.get(c.getCode());
                if (r == null) {
                    throw ApiErrors.invalidArgument("changes.code", "no rule " + c.getCode());
                }
                if (!c.getThreshold().isEmpty()) {
                    if (r.threshold == null) {
                        throw ApiErrors.failedPrecondition("RULE_HAS_NO_THRESHOLD", c.getCode() + " has no threshold");
                    }
                    r.threshold = decimal("changes.threshold", c.getThreshold());
                }
                if (c.getWindowHours() > 0) {
                    r.windowHours = c.getWindowHours();
                }
                if (!c.getParameter().isEmpty()) {
                    r.parameter = decimal("changes.parameter", c.getParameter());
                }
            }
            RuleSetEntity set = new RuleSetEntity();
            set.version = next;
            set.publishedAt = Instant.now();
            set.publishedBy = caller.subject();
            set.note = note;
            return Panache.getSession().flatMap(s -> s.persist(set)
                    .chain(() -> s.persistAll(byCode.values().toArray()))
                    .chain(s::flush))
                    .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL,
                            EnforcementAction.RULES_PUBLISH.actionName(), "rule-set:" + next, requestId)))
                    .chain(() -> get(next, Jurisdiction.NATIONAL_CODE));
        }));
    }

    /** A province's tightened threshold: never looser than the national one nor than its own earlier one. */
    public Uni<Rule> tighten(Caller caller, Jurisdiction jurisdiction, String code, BigDecimal threshold,
            String requestId) {
        if (jurisdiction.isNational()) {
            throw ApiErrors.failedPrecondition("NATIONAL_THRESHOLD_IS_PUBLISHED",
                    "the national threshold changes only by publishing a new rule set");
        }
        return latestVersion().flatMap(latest -> Panache.getSession().flatMap(s -> s
                .find(RuleEntity.class, new RuleEntity.Key(latest, code))
                .flatMap(rule -> {
                    if (rule == null) {
                        return Uni.createFrom().failure(ApiErrors.notFound("rule", code));
                    }
                    if (rule.threshold == null) {
                        return Uni.createFrom().failure(ApiErrors.failedPrecondition("RULE_HAS_NO_THRESHOLD",
                                code + " has no threshold"));
                    }
                    if (!rule.atLeastAsTight(threshold, rule.threshold)) {
                        return Uni.createFrom().failure(ApiErrors.failedPrecondition("THRESHOLD_LOOSER_THAN_NATIONAL",
                                "a province may tighten %s (national %s, tighter is %s) but never loosen it".formatted(
                                        code, rule.threshold.toPlainString(), rule.tighter.toLowerCase()),
                                Map.of("rule", code, "national_threshold", rule.threshold.toPlainString(),
                                        "rule_version", String.valueOf(latest))));
                    }
                    return s.find(JurisdictionThresholdEntity.class,
                            new JurisdictionThresholdEntity.Key(jurisdiction.code(), code)).flatMap(existing -> {
                                JurisdictionThresholdEntity t = existing != null ? existing
                                        : new JurisdictionThresholdEntity();
                                t.jurisdiction = jurisdiction.code();
                                t.code = code;
                                t.threshold = threshold;
                                t.setBy = caller.subject();
                                t.setAt = Instant.now();
                                Uni<Void> save = existing != null ? Uni.createFrom().voidItem() : s.persist(t);
                                return save.chain(s::flush)
                                        .chain(() -> audit.append(AuditRecord.of(caller, jurisdiction,
                                                EnforcementAction.RULES_TIGHTEN.actionName(),
                                                "threshold:" + jurisdiction.code() + ":" + code, requestId)))
                                        .map(x -> toProto(new EffectiveRule(rule, threshold, jurisdiction.code())));
                            });
                })));
    }

    public Uni<SetReferencePriceResponse> setReferencePrice(Caller caller, String itemCode, BigDecimal amount,
            String currency, String requestId) {
        return Panache.getSession().flatMap(s -> s.find(ReferencePriceEntity.class, itemCode).flatMap(existing -> {
            ReferencePriceEntity p = existing != null ? existing : new ReferencePriceEntity();
            p.itemCode = itemCode;
            p.amount = amount;
            p.currencyCode = currency;
            p.setBy = caller.subject();
            p.setAt = Instant.now();
            Uni<Void> save = existing != null ? Uni.createFrom().voidItem() : s.persist(p);
            return save.chain(s::flush)
                    .chain(() -> audit.append(AuditRecord.of(caller, Jurisdiction.NATIONAL,
                            EnforcementAction.REFERENCE_PRICE_SET.actionName(), "reference-price:" + itemCode, requestId)))
                    .map(x -> SetReferencePriceResponse.newBuilder().setItemCode(itemCode)
                            .setUnitPrice(Money.newBuilder().setAmount(amount.toPlainString()).setCurrencyCode(currency))
                            .build());
        }));
    }

    static BigDecimal decimal(String field, String value) {
        try {
            BigDecimal d = new BigDecimal(value);
            if (d.signum() < 0) {
                throw ApiErrors.invalidArgument(field, "must not be negative");
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiErrors.invalidArgument(field, "must be a decimal number such as \"48\"");
        }
    }

    static RuleSet toProto(RuleSetEntity set, List<EffectiveRule> rules) {
        RuleSet.Builder b = RuleSet.newBuilder().setVersion(set.version).setPublishedAt(Timestamps.of(set.publishedAt))
                .setPublishedBy(set.publishedBy).setNote(set.note);
        rules.forEach(r -> b.addRules(toProto(r)));
        return b.build();
    }

    static Rule toProto(EffectiveRule e) {
        RuleEntity r = e.rule();
        return Rule.newBuilder().setCode(r.code).setSignalKind(SignalKind.valueOf(r.signalKind))
                .setDescription(r.description)
                .setThreshold(e.threshold() == null ? "" : e.threshold().stripTrailingZeros().toPlainString())
                .setTighter(Tighter.valueOf("TIGHTER_" + r.tighter)).setSeverity(Severity.valueOf(r.severity))
                .setWindowHours(r.windowHours)
                .setParameter(r.parameter == null ? "" : r.parameter.stripTrailingZeros().toPlainString())
                .setTightenedBy(e.tightenedBy()).build();
    }
}
