package org.exportcontrol.platform.idempotency;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The first answer to one (caller, operation, request id). */
@Entity
@Table(name = "idempotent_request")
@IdClass(IdempotentRequestEntity.Key.class)
public class IdempotentRequestEntity {

    @Id
    public String caller;
    @Id
    public String operation;
    @Id
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "request_digest", nullable = false)
    public String requestDigest;
    @Column(nullable = false)
    public byte[] response;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static class Key implements Serializable {
        public String caller;
        public String operation;
        public String requestId;

        public Key() {
        }

        public Key(String caller, String operation, String requestId) {
            this.caller = caller;
            this.operation = operation;
            this.requestId = requestId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.caller, caller) && Objects.equals(k.operation, operation)
                    && Objects.equals(k.requestId, requestId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(caller, operation, requestId);
        }
    }
}
