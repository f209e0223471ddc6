package org.exportcontrol.reporting.domain;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An inspector's compliance review of an enterprise. */
@Entity
@Table(name = "compliance_review")
public class ComplianceReviewEntity {

    @Id
    public String id;
    @Column(name = "enterprise_credit_code", nullable = false)
    public String enterpriseCreditCode;
    @Column(name = "province_code", nullable = false)
    public String provinceCode;
    @Column(nullable = false)
    public String inspector;
    @Column(name = "review_date", nullable = false)
    public LocalDate reviewDate;
    @Column(nullable = false)
    public String findings;
    @Column(name = "risk_rating", nullable = false)
    public int riskRating;
    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
