package org.exportcontrol.enforcement.domain;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The national reference unit price of an item (UNDERVALUATION). */
@Entity
@Table(name = "reference_price")
public class ReferencePriceEntity {

    @Id
    @Column(name = "item_code")
    public String itemCode;
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal amount;
    @Column(name = "currency_code", nullable = false)
    public String currencyCode;
    @Column(name = "set_by", nullable = false)
    public String setBy;
    @Column(name = "set_at", nullable = false)
    public Instant setAt;
}
