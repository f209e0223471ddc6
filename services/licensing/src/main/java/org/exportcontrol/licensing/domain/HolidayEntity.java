package org.exportcontrol.licensing.domain;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A non-working day of the national calendar. */
@Entity
@Table(name = "holiday")
public class HolidayEntity {

    @Id
    public LocalDate day;
    @Column(nullable = false)
    public String name;
}
