package org.exportcontrol.licensing.domain;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An issued licence. EXPIRED and EXHAUSTED are derived from its dates and balances. */
@Entity
@Table(name = "licence")
public class LicenceEntity {

    public enum Status {
        ISSUED, SUSPENDED, REVOKED
    }

    @Id
    public String number;
    @Column(name = "application_id", nullable = false)
    public String applicationId;
    @Column(name = "exporter_credit_code", nullable = false)
    public String exporterCreditCode;
    @Column(nullable = false)
    public String jurisdiction;
    @Column(nullable = false)
    public byte[] consignee;
    @Column(name = "end_user", nullable = false)
    public byte[] endUser;
    @Column(name = "consignee_name", nullable = false)
    public String consigneeName;
    @Column(name = "end_user_name", nullable = false)
    public String endUserName;
    @Column(nullable = false)
    public String destination;
    @Column(name = "valid_from", nullable = false)
    public LocalDate validFrom;
    @Column(name = "valid_until", nullable = false)
    public LocalDate validUntil;
    @Column(nullable = false)
    public String status;
    @Column(name = "status_reason")
    public String statusReason;
    @Column(name = "revocation_requested", nullable = false)
    public boolean revocationRequested;
    @Column(nullable = false)
    public boolean flagged;
}
