package org.exportcontrol.platform.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row holding the chain's head; locking it serialises appends. */
@Entity
@Table(name = "audit_chain_head")
public class AuditChainHeadEntity {

    public static final short ID = 1;

    @Id
    public short id;
    @Column(nullable = false)
    public long sequence;
    @Column(name = "entry_hash", nullable = false)
    public String entryHash;
}
