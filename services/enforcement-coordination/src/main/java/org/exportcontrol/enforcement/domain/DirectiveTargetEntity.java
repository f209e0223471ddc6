package org.exportcontrol.enforcement.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One addressee of a directive and its progress. */
@Entity
@Table(name = "directive_target")
@IdClass(DirectiveTargetEntity.Key.class)
public class DirectiveTargetEntity {

    public static final String ISSUED = "ISSUED";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String COMPLETED = "COMPLETED";

    @Id
    @Column(name = "directive_id")
    public UUID directiveId;
    @Id
    public String jurisdiction;
    /** A Department enum name; DEPARTMENT_UNSPECIFIED for the jurisdiction as a whole. */
    @Id
    public String department;
    @Column(nullable = false)
    public String state;
    @Column(name = "acknowledged_by", nullable = false)
    public String acknowledgedBy = "";
    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;
    @Column(name = "completed_by", nullable = false)
    public String completedBy = "";
    @Column(name = "completed_at")
    public Instant completedAt;
    @Column(nullable = false)
    public String report = "";

    public static class Key implements Serializable {
        public UUID directiveId;
        public String jurisdiction;
        public String department;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.directiveId, directiveId)
                    && Objects.equals(k.jurisdiction, jurisdiction) && Objects.equals(k.department, department);
        }

        @Override
        public int hashCode() {
            return Objects.hash(directiveId, jurisdiction, department);
        }
    }
}
