package org.exportcontrol.licensing.domain;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An enterprise of the chain, keyed by its unified social credit code. */
@Entity
@Table(name = "enterprise")
public class EnterpriseEntity {

    @Id
    @Column(name = "credit_code")
    public String creditCode;
    @Column(nullable = false)
    public String name;
    @Column(name = "province_code", nullable = false)
    public String provinceCode;
    @Column(nullable = false)
    public String kinds;
    @Column(nullable = false)
    public String status;
    @Column(name = "registered_by", nullable = false)
    public String registeredBy;
    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    public List<String> kindList() {
        return ControlItemEntity.split(kinds);
    }
}
