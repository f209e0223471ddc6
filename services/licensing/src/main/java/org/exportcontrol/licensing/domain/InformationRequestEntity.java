package org.exportcontrol.licensing.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A reviewer's question to the applicant, and the answer. */
@Entity
@Table(name = "information_request")
@IdClass(InformationRequestEntity.Key.class)
public class InformationRequestEntity {

    @Id
    @Column(name = "application_id")
    public String applicationId;
    @Id
    public int number;
    @Column(nullable = false)
    public String question;
    @Column(name = "asked_by", nullable = false)
    public String askedBy;
    @Column(name = "asked_at", nullable = false)
    public Instant askedAt;
    public String answer;
    @Column(name = "answered_at")
    public Instant answeredAt;

    public static class Key implements Serializable {
        public String applicationId;
        public int number;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.applicationId, applicationId) && k.number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(applicationId, number);
        }
    }
}
