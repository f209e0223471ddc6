package org.exportcontrol.notification.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.notification.domain.InboxItemEntity;
import org.exportcontrol.notification.domain.NotificationEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The signed-in user's inbox. A user sees only their own items. */
@ApplicationScoped
public class InboxService {

    @Inject
    AuditLog audit;
    @Inject
    WorkSignal signal;

    /** A page of the user's items, newest first, after the position (delivered_at micros, notification id). */
    public Uni<List<InboxItem>> list(String username, boolean unreadOnly, Position after, int limit) {
        StringBuilder q = new StringBuilder("select i, n from InboxItemEntity i, NotificationEntity n"
                + " where n.id = i.notificationId and i.username = :u");
        if (unreadOnly) {
            q.append(" and i.readAt is null");
        }
        if (after != null) {
            q.append(" and (i.deliveredAt < :t or (i.deliveredAt = :t and i.notificationId < :id))");
        }
        q.append(" order by i.deliveredAt desc, i.notificationId desc");
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q.toString(), Object[].class).setParameter("u", username);
            if (after != null) {
                query.setParameter("t", after.deliveredAt()).setParameter("id", after.notificationId());
            }
            return query.setMaxResults(limit).getResultList().map(rows -> rows.stream()
                    .map(r -> Mapper.inboxItem((InboxItemEntity) r[0], (NotificationEntity) r[1])).toList());
        });
    }

    public Uni<InboxItem> markRead(Caller caller, UUID id) {
        return Panache.getSession().flatMap(s -> find(s, caller, id).flatMap(item -> {
            if (item.readAt == null) {
                item.readAt = now();
            }
            return s.flush().chain(() -> s.find(NotificationEntity.class, id)).map(n -> Mapper.inboxItem(item, n));
        }));
    }

    /** Acknowledges (and reads) the item; audited. A repeat changes nothing. */
    public Uni<InboxItem> acknowledge(Caller caller, UUID id, String requestId) {
        return Panache.getSession().flatMap(s -> find(s, caller, id).flatMap(item -> s.find(NotificationEntity.class, id)
                .flatMap(n -> {
                    if (item.acknowledgedAt != null) {
                        return Uni.createFrom().item(Mapper.inboxItem(item, n));
                    }
                    Instant now = now();
                    item.acknowledgedAt = now;
                    if (item.readAt == null) {
                        item.readAt = now;
                    }
                    boolean late = n.ackDeadline != null && now.isAfter(n.ackDeadline);
                    return audit.append(AuditRecord.of(caller, Jurisdiction.of(n.jurisdiction),
                            late ? "notification.acknowledge-late" : "notification.acknowledge",
                            "notification/" + n.id, requestId).withDigests(null, Digests.sha256Hex(caller.subject()
                                    + "|" + now)))
                            .replaceWith(Mapper.inboxItem(item, n));
                })));
    }

    private static Uni<InboxItemEntity> find(Mutiny.Session s, Caller caller, UUID id) {
        return s.find(InboxItemEntity.class, new InboxItemEntity.Key(id, caller.subject()))
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("inbox item", id.toString()));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Where a page of the inbox resumes. */
    public record Position(Instant deliveredAt, UUID notificationId) {

        public String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, deliveredAt);
            return micros + "|" + notificationId;
        }

        public static Position decode(String position) {
            String[] parts = position.split("\\|");
            if (parts.length != 2) {
                throw new IllegalArgumentException(position);
            }
            return new Position(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), UUID.fromString(parts[1]));
        }
    }
}
