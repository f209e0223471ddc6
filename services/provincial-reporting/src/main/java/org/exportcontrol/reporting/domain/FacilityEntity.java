package org.exportcontrol.reporting.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered facility. */
@Entity
@Table(name = "facility")
public class FacilityEntity {

    @Id
    public String id;
    @Column(nullable = false)
    public String kind;
    @Column(nullable = false)
    public String name;
    @Column(name = "enterprise_credit_code", nullable = false)
    public String enterpriseCreditCode;
    @Column(name = "province_code", nullable = false)
    public String provinceCode;
    @Column(nullable = false)
    public String address;
    @Column(nullable = false)
    public String latitude;
    @Column(nullable = false)
    public String longitude;
    @Column(name = "registered_by", nullable = false)
    public String registeredBy;
    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;
}
