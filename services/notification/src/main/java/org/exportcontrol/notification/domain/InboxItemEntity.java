package org.exportcontrol.notification.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A notification in one user's inbox. */
@Entity
@Table(name = "inbox_item")
@IdClass(InboxItemEntity.Key.class)
public class InboxItemEntity {

    @Id
    @Column(name = "notification_id")
    public UUID notificationId;
    @Id
    public String username;
    public String email;
    @Column(name = "delivered_at", nullable = false)
    public Instant deliveredAt;
    @Column(name = "read_at")
    public Instant readAt;
    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;

    public static class Key implements Serializable {
        public UUID notificationId;
        public String username;

        public Key() {
        }

        public Key(UUID notificationId, String username) {
            this.notificationId = notificationId;
            this.username = username;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.notificationId, notificationId)
                    && Objects.equals(k.username, username);
        }

        @Override
        public int hashCode() {
            return Objects.hash(notificationId, username);
        }
    }
}
