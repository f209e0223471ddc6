package org.exportcontrol.licensing.domain;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An item of the control list; controlled only inside its dates. */
@Entity
@Table(name = "control_item")
public class ControlItemEntity {

    @Id
    public String code;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public String elements;
    @Column(name = "tariff_codes", nullable = false)
    public String tariffCodes;
    @Column(nullable = false)
    public String announcement;
    @Column(name = "effective_from", nullable = false)
    public LocalDate effectiveFrom;
    @Column(name = "effective_until")
    public LocalDate effectiveUntil;

    public boolean controlledOn(LocalDate day) {
        return !day.isBefore(effectiveFrom) && (effectiveUntil == null || !day.isAfter(effectiveUntil));
    }

    public List<String> tariffCodeList() {
        return split(tariffCodes);
    }

    public List<String> elementList() {
        return split(elements);
    }

    static List<String> split(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.split(","));
    }
}
