package org.exportcontrol.enforcement.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A received signal, kept whole (payload) with the columns rules query. */
@Entity
@Table(name = "signal")
public class SignalEntity {

    @Id
    public UUID id;
    @Column(name = "request_id", nullable = false)
    public String requestId;
    @Column(nullable = false)
    public String kind;
    @Column(name = "subject_type", nullable = false)
    public String subjectType;
    @Column(name = "subject_id", nullable = false)
    public String subjectId;
    @Column(nullable = false)
    public String jurisdiction;
    public String exporter;
    @Column(precision = 24, scale = 6)
    public BigDecimal quantity;
    @Column(nullable = false)
    public String source;
    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
    @Column(nullable = false)
    public byte[] payload;
}
