package org.exportcontrol.enforcement.service;

import java.math.BigDecimal;

import org.exportcontrol.enforcement.domain.RuleEntity;

/**
 * A rule of a published version as it applies in one jurisdiction: the national threshold, or the
 * province's tightened one ({@code tightenedBy} names the province then, else it is empty).
 */
public record EffectiveRule(RuleEntity rule, BigDecimal threshold, String tightenedBy) {

    public String code() {
        return rule.code;
    }

    public int version() {
        return rule.version;
    }
}
