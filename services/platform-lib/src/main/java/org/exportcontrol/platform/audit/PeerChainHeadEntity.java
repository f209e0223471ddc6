package org.exportcontrol.platform.audit;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A head of another service's chain, as that service reported it. */
@Entity
@Table(name = "peer_chain_head")
@IdClass(PeerChainHeadEntity.Key.class)
public class PeerChainHeadEntity {

    @Id
    public String service;
    @Id
    public long sequence;
    @Column(name = "entry_hash", nullable = false)
    public String entryHash;
    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;
    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    public static class Key implements Serializable {
        public String service;
        public long sequence;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sequence == sequence && Objects.equals(k.service, service);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, sequence);
        }
    }
}
