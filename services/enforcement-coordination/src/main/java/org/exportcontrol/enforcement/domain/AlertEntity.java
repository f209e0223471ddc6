package org.exportcontrol.enforcement.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An alert raised by one rule of one published version about one subject. */
@Entity
@Table(name = "alert")
public class AlertEntity {

    public static final String OPEN = "OPEN";
    public static final String DISMISSED = "DISMISSED";
    public static final String CASE_OPENED = "CASE_OPENED";

    @Id
    public UUID id;
    @Column(insertable = false, updatable = false)
    public Long seq;
    @Column(name = "rule_code", nullable = false)
    public String ruleCode;
    @Column(name = "rule_version", nullable = false)
    public int ruleVersion;
    @Column(name = "tightened_by", nullable = false)
    public String tightenedBy;
    @Column(nullable = false)
    public String severity;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(name = "subject_type", nullable = false)
    public String subjectType;
    @Column(name = "subject_id", nullable = false)
    public String subjectId;
    @Column(nullable = false)
    public String state;
    /** Newline-separated evidence ids, in the order received. */
    @Column(name = "evidence_ids", nullable = false)
    public String evidenceIds;
    @Column(name = "signal_count", nullable = false)
    public int signalCount;
    @Column(nullable = false)
    public String summary;
    @Column(name = "raised_at", nullable = false)
    public Instant raisedAt;
    @Column(name = "last_signal_at", nullable = false)
    public Instant lastSignalAt;
    @Column(name = "window_ends_at", nullable = false)
    public Instant windowEndsAt;
    @Column(name = "dismiss_reason", nullable = false)
    public String dismissReason = "";
    @Column(name = "dismissed_by", nullable = false)
    public String dismissedBy = "";
    @Column(name = "escalated_at")
    public Instant escalatedAt;
}
