package org.exportcontrol.licensing.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A destination no licence may name. */
@Entity
@Table(name = "embargoed_destination")
public class EmbargoedDestinationEntity {

    @Id
    @Column(name = "country_code")
    public String countryCode;
    @Column(nullable = false)
    public String reason;
}
