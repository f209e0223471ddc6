package org.exportcontrol.enforcement.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One rule of a published version. */
@Entity
@Table(name = "rule")
@IdClass(RuleEntity.Key.class)
public class RuleEntity {

    @Id
    public int version;
    @Id
    public String code;
    @Column(name = "signal_kind", nullable = false)
    public String signalKind;
    @Column(nullable = false)
    public String description;
    @Column(precision = 24, scale = 6)
    public BigDecimal threshold;
    /** LOWER or HIGHER: which direction makes the rule fire more often. */
    @Column(nullable = false)
    public String tighter;
    @Column(nullable = false)
    public String severity;
    @Column(name = "window_hours", nullable = false)
    public int windowHours;
    @Column(precision = 24, scale = 6)
    public BigDecimal parameter;

    public RuleEntity copy(int newVersion) {
        RuleEntity r = new RuleEntity();
        r.version = newVersion;
        r.code = code;
        r.signalKind = signalKind;
        r.description = description;
        r.threshold = threshold;
        r.tighter = tighter;
        r.severity = severity;
        r.windowHours = windowHours;
        r.parameter = parameter;
        return r;
    }

    /** True if {@code candidate} is at least as tight as {@code reference} for this rule. */
    public boolean atLeastAsTight(BigDecimal candidate, BigDecimal reference) {
        return "LOWER".equals(tighter) ? candidate.compareTo(reference) <= 0 : candidate.compareTo(reference) >= 0;
    }

    public static class Key implements Serializable {
        public int version;
        public String code;

        public Key() {
        }

        public Key(int version, String code) {
            this.version = version;
            this.code = code;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.code, code);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, code);
        }
    }
}
