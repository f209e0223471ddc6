package org.exportcontrol.enforcement.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A directive issued down the chain. */
@Entity
@Table(name = "directive")
public class DirectiveEntity {

    @Id
    public UUID id;
    /** Issue order, for paging. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    @Column(name = "issuer_jurisdiction", nullable = false)
    public String issuerJurisdiction;
    @Column(name = "issued_by", nullable = false)
    public String issuedBy;
    @Column(nullable = false)
    public String title;
    @Column(nullable = false)
    public String body;
    @Column(name = "due_at")
    public Instant dueAt;
    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;
}
