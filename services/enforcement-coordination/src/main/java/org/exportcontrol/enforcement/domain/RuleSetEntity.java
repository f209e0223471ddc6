package org.exportcontrol.enforcement.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One published version of the early-warning rules. */
@Entity
@Table(name = "rule_set")
public class RuleSetEntity {

    @Id
    public int version;
    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;
    @Column(name = "published_by", nullable = false)
    public String publishedBy;
    @Column(nullable = false)
    public String note;
}
