package org.exportcontrol.enforcement.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A task of a case, assigned to a department, with a due date. */
@Entity
@Table(name = "case_task")
public class CaseTaskEntity {

    public static final String OPEN = "OPEN";
    public static final String DONE = "DONE";

    @Id
    public UUID id;
    @Column(name = "case_id", nullable = false)
    public UUID caseId;
    @Column(nullable = false)
    public String department;
    @Column(nullable = false)
    public String description;
    @Column(name = "due_at", nullable = false)
    public Instant dueAt;
    @Column(nullable = false)
    public String state;
    @Column(nullable = false)
    public String result = "";
    @Column(name = "completed_by", nullable = false)
    public String completedBy = "";
    @Column(name = "escalated_at")
    public Instant escalatedAt;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
