package org.exportcontrol.licensing.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A line of a licence: an item, the quantity granted and what remains of it. */
@Entity
@Table(name = "licence_line")
@IdClass(LicenceLineEntity.Key.class)
public class LicenceLineEntity {

    @Id
    @Column(name = "licence_number")
    public String licenceNumber;
    @Id
    @Column(name = "line_number")
    public int lineNumber;
    @Column(name = "item_code", nullable = false)
    public String itemCode;
    @Column(name = "tariff_code", nullable = false)
    public String tariffCode;
    @Column(nullable = false)
    public String unit;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal granted;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal remaining;

    public static class Key implements Serializable {
        public String licenceNumber;
        public int lineNumber;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.licenceNumber, licenceNumber) && k.lineNumber == lineNumber;
        }

        @Override
        public int hashCode() {
            return Objects.hash(licenceNumber, lineNumber);
        }
    }
}
