package org.exportcontrol.licensing.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One department's advice on an application in national review. */
@Entity
@Table(name = "consultation")
@IdClass(ConsultationEntity.Key.class)
public class ConsultationEntity {

    @Id
    @Column(name = "application_id")
    public String applicationId;
    @Id
    public String department;
    @Column(nullable = false)
    public String advice;
    public String reasons;
    @Column(name = "advised_by")
    public String advisedBy;
    @Column(name = "advised_at")
    public Instant advisedAt;

    public static class Key implements Serializable {
        public String applicationId;
        public String department;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.applicationId, applicationId)
                    && Objects.equals(k.department, department);
        }

        @Override
        public int hashCode() {
            return Objects.hash(applicationId, department);
        }
    }
}
