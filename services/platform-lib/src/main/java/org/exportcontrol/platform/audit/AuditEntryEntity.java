package org.exportcontrol.platform.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One row of the audit chain. Never updated (a database trigger refuses it). */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity {

    @Id
    public long sequence;
    @Column(nullable = false)
    public String actor;
    @Column(name = "actor_kind", nullable = false)
    public String actorKind;
    @Column(name = "on_behalf_of")
    public String onBehalfOf;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(nullable = false)
    public String action;
    @Column(nullable = false)
    public String subject;
    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
    @Column(name = "before_digest")
    public String beforeDigest;
    @Column(name = "after_digest")
    public String afterDigest;
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "previous_hash", nullable = false)
    public String previousHash;
    @Column(name = "entry_hash", nullable = false)
    public String entryHash;
    @Column(nullable = false)
    public String algorithm;
}
