package org.exportcontrol.licensing.domain;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A licence application. The applicant's content is kept as the exact message they sent
 * ({@code ApplicationContent}); review state lives in columns and child tables.
 */
@Entity
@Table(name = "application")
public class ApplicationEntity {

    public enum State {
        DRAFT, PROVINCIAL_REVIEW, NATIONAL_REVIEW, INFORMATION_REQUESTED, APPROVED, REFUSED
    }

    @Id
    public String id;
    @Column(nullable = false)
    public String state;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(name = "exporter_credit_code", nullable = false)
    public String exporterCreditCode;
    @Column(nullable = false)
    public byte[] content;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "provincial_reviewer")
    public String provincialReviewer;
    @Column(name = "due_date")
    public LocalDate dueDate;
    @Column(name = "paused_on")
    public LocalDate pausedOn;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decision_reasons")
    public String decisionReasons;
    @Column(name = "licence_number")
    public String licenceNumber;
    @Version
    public long version;

    public State stateValue() {
        return State.valueOf(state);
    }

    public boolean inState(State s) {
        return state.equals(s.name());
    }
}
