package org.exportcontrol.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A message waiting to be delivered (or delivered, with its time). */
@Entity
@Table(name = "outbox_message")
public class OutboxMessageEntity {

    @Id
    public UUID id;
    /** A destination name configured as {@code platform.outbox.destinations.<name>=host:port}. */
    @Column(nullable = false)
    public String destination;
    /** The full gRPC method name, e.g. "exportcontrol.enforcement.v1.SignalService/RaiseSignal". */
    @Column(nullable = false)
    public String method;
    /** The serialized request; its request_id is this message's id. */
    @Column(nullable = false)
    public byte[] payload;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    @Column(name = "last_error")
    public String lastError;
}
