package org.exportcontrol.notification.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A webhook registered for a jurisdiction. */
@Entity
@Table(name = "webhook")
public class WebhookEntity {

    @Id
    public UUID id;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(nullable = false)
    public String url;
    @Column(nullable = false)
    public String description;
    @Column(nullable = false)
    public String secret;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "deleted_at")
    public Instant deletedAt;
    @Column(name = "deleted_by")
    public String deletedBy;
}
