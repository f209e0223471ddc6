package org.exportcontrol.notification.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One accepted notification: what the sender asked, as accepted. */
@Entity
@Table(name = "notification")
public class NotificationEntity {

    @Id
    public UUID id;
    @Column(nullable = false)
    public String sender;
    @Column(name = "request_id", nullable = false)
    public String requestId;
    @Column(nullable = false)
    public String category;
    @Column(nullable = false)
    public String title;
    @Column(nullable = false)
    public String body;
    @Column(nullable = false)
    public String link;
    @Column(nullable = false)
    public String priority;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(nullable = false)
    public String channels;
    /** The accepted NotifyRequest, serialized (recipients and acknowledgement policy). */
    @Column(nullable = false)
    public byte[] request;
    @Column(name = "deduplication_key")
    public String deduplicationKey;
    @Column(name = "ack_deadline")
    public Instant ackDeadline;
    @Column(name = "escalated_at")
    public Instant escalatedAt;
    @Column(name = "escalation_of")
    public UUID escalationOf;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean hasChannel(String channel) {
        return java.util.Arrays.asList(channels.split(",")).contains(channel);
    }
}
