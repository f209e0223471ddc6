package org.exportcontrol.reporting.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A quota allocated to an enterprise for a year. */
@Entity
@Table(name = "quota_allocation")
@IdClass(QuotaAllocationEntity.Key.class)
public class QuotaAllocationEntity {

    @Id
    @Column(name = "enterprise_credit_code")
    public String enterpriseCreditCode;
    @Id
    public int year;
    @Id
    public String kind;
    @Column(nullable = false)
    public String unit;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal allocated;
    @Column(name = "last_signalled_percent", nullable = false)
    public int lastSignalledPercent = -1;
    @Column(name = "set_by", nullable = false)
    public String setBy;
    @Column(name = "set_at", nullable = false)
    public Instant setAt;

    public static class Key implements Serializable {
        public String enterpriseCreditCode;
        public int year;
        public String kind;

        public Key() {
        }

        public Key(String enterpriseCreditCode, int year, String kind) {
            this.enterpriseCreditCode = enterpriseCreditCode;
            this.year = year;
            this.kind = kind;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.enterpriseCreditCode, enterpriseCreditCode) && k.year == year
                    && Objects.equals(k.kind, kind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(enterpriseCreditCode, year, kind);
        }
    }
}
