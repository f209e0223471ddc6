package org.exportcontrol.enforcement.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A province's tightened threshold for its own jurisdiction. */
@Entity
@Table(name = "jurisdiction_threshold")
@IdClass(JurisdictionThresholdEntity.Key.class)
public class JurisdictionThresholdEntity {

    @Id
    public String jurisdiction;
    @Id
    public String code;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal threshold;
    @Column(name = "set_by", nullable = false)
    public String setBy;
    @Column(name = "set_at", nullable = false)
    public Instant setAt;

    public static class Key implements Serializable {
        public String jurisdiction;
        public String code;

        public Key() {
        }

        public Key(String jurisdiction, String code) {
            this.jurisdiction = jurisdiction;
            this.code = code;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.jurisdiction, jurisdiction) && Objects.equals(k.code, code);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jurisdiction, code);
        }
    }
}
