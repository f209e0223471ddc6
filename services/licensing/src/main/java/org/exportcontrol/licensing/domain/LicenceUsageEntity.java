package org.exportcontrol.licensing.domain;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One export declaration's use of a licence line. */
@Entity
@Table(name = "licence_usage")
public class LicenceUsageEntity {

    @Id
    @Column(name = "declaration_id")
    public String declarationId;
    @Column(name = "licence_number", nullable = false)
    public String licenceNumber;
    @Column(name = "line_number", nullable = false)
    public int lineNumber;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal quantity;
    @Column(nullable = false)
    public String destination;
    @Column(name = "used_at", nullable = false)
    public Instant usedAt;
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
