package org.exportcontrol.licensing.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A restricted party. */
@Entity
@Table(name = "watch_list_entry")
public class WatchListEntryEntity {

    @Id
    public String id;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public String aliases;
    @Column(name = "country_code", nullable = false)
    public String countryCode;
    @Column(nullable = false)
    public String reason;
    @Column(name = "added_by", nullable = false)
    public String addedBy;
    @Column(name = "added_at", nullable = false)
    public Instant addedAt;

    public List<String> aliasList() {
        return aliases == null || aliases.isBlank() ? List.of() : Arrays.asList(aliases.split("\\|"));
    }
}
