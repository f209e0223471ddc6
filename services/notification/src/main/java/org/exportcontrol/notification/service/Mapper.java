package org.exportcontrol.notification.service;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.Notification;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Webhook;
import org.exportcontrol.notification.domain.InboxItemEntity;
import org.exportcontrol.notification.domain.NotificationEntity;
import org.exportcontrol.notification.domain.WebhookEntity;
import org.exportcontrol.platform.grpc.Timestamps;

/** Entities to messages. */
public final class Mapper {

    private Mapper() {
    }

    public static Notification notification(NotificationEntity n) {
        Notification.Builder b = Notification.newBuilder()
                .setId(n.id.toString()).setSender(n.sender).setCategory(n.category).setTitle(n.title)
                .setBody(n.body).setLink(n.link).setPriority(Priority.valueOf(n.priority))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(n.jurisdiction))
                .setCreatedAt(Timestamps.of(n.createdAt));
        if (n.ackDeadline != null) {
            b.setAcknowledgementDeadline(Timestamps.of(n.ackDeadline));
        }
        if (n.escalationOf != null) {
            b.setEscalationOf(n.escalationOf.toString());
        }
        return b.build();
    }

    public static InboxItem inboxItem(InboxItemEntity i, NotificationEntity n) {
        InboxItem.Builder b = InboxItem.newBuilder().setNotification(notification(n))
                .setDeliveredAt(Timestamps.of(i.deliveredAt));
        if (i.readAt != null) {
            b.setReadAt(Timestamps.of(i.readAt));
        }
        if (i.acknowledgedAt != null) {
            b.setAcknowledgedAt(Timestamps.of(i.acknowledgedAt));
        }
        return b.build();
    }

    public static Webhook webhook(WebhookEntity w) {
        return Webhook.newBuilder().setId(w.id.toString())
                .setJurisdiction(Jurisdiction.newBuilder().setCode(w.jurisdiction))
                .setUrl(w.url).setDescription(w.description).setCreatedBy(w.createdBy)
                .setCreatedAt(Timestamps.of(w.createdAt)).build();
    }
}
