package org.exportcontrol.enforcement.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A joint enforcement case. */
@Entity
@Table(name = "enforcement_case")
public class CaseEntity {

    public static final String OPEN = "OPEN";
    public static final String CLOSING_PROPOSED = "CLOSING_PROPOSED";
    public static final String CLOSED = "CLOSED";

    @Id
    public UUID id;
    @Column(insertable = false, updatable = false)
    public Long seq;
    @Column(name = "alert_id")
    public UUID alertId;
    @Column(nullable = false)
    public String title;
    @Column(name = "lead_jurisdiction", nullable = false)
    public String leadJurisdiction;
    @Column(name = "lead_department", nullable = false)
    public String leadDepartment;
    /** Comma-separated Department enum names. */
    @Column(nullable = false)
    public String participating;
    @Column(nullable = false)
    public String state;
    @Column(name = "opened_by", nullable = false)
    public String openedBy;
    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;
    /** A serialised CaseOutcome, once recorded. */
    public byte[] outcome;
    @Column(name = "closing_proposed_by", nullable = false)
    public String closingProposedBy = "";
    @Column(name = "closing_approved_by", nullable = false)
    public String closingApprovedBy = "";
    @Column(name = "closed_at")
    public Instant closedAt;
}
