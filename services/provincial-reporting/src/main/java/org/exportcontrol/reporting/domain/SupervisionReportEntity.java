package org.exportcontrol.reporting.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A province's monthly supervision report. */
@Entity
@Table(name = "supervision_report")
@IdClass(SupervisionReportEntity.Key.class)
public class SupervisionReportEntity {

    @Id
    @Column(name = "province_code")
    public String provinceCode;
    @Id
    public String period;
    @Column(nullable = false)
    public String summary;
    @Column(name = "submitted_by", nullable = false)
    public String submittedBy;
    @Column(name = "submitted_at", nullable = false)
    public Instant submittedAt;

    public static class Key implements Serializable {
        public String provinceCode;
        public String period;

        public Key() {
        }

        public Key(String provinceCode, String period) {
            this.provinceCode = provinceCode;
            this.period = period;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.provinceCode, provinceCode) && Objects.equals(k.period, period);
        }

        @Override
        public int hashCode() {
            return Objects.hash(provinceCode, period);
        }
    }
}
