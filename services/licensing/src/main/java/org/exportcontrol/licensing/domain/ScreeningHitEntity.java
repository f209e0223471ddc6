package org.exportcontrol.licensing.domain;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A party of an application that matched the watch list at screening. */
@Entity
@Table(name = "screening_hit")
@IdClass(ScreeningHitEntity.Key.class)
public class ScreeningHitEntity {

    @Id
    @Column(name = "application_id")
    public String applicationId;
    @Id
    @Column(name = "party_role")
    public String partyRole;
    @Id
    @Column(name = "watch_list_entry_id")
    public String watchListEntryId;
    @Column(name = "party_name", nullable = false)
    public String partyName;
    @Column(name = "watch_list_name", nullable = false)
    public String watchListName;
    @Column(nullable = false)
    public double score;

    public static class Key implements Serializable {
        public String applicationId;
        public String partyRole;
        public String watchListEntryId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.applicationId, applicationId)
                    && Objects.equals(k.partyRole, partyRole) && Objects.equals(k.watchListEntryId, watchListEntryId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(applicationId, partyRole, watchListEntryId);
        }
    }
}
