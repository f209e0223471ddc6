package org.exportcontrol.enforcement.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A note with evidence on a case. */
@Entity
@Table(name = "case_note")
public class CaseNoteEntity {

    @Id
    public UUID id;
    @Column(name = "case_id", nullable = false)
    public UUID caseId;
    @Column(nullable = false)
    public String author;
    @Column(nullable = false)
    public String text;
    /** Newline-separated. */
    @Column(name = "evidence_ids", nullable = false)
    public String evidenceIds;
    @Column(name = "added_at", nullable = false)
    public Instant addedAt;
}
