package org.exportcontrol.notification;

import static org.exportcontrol.platform.security.Roles.ANALYST;
import static org.exportcontrol.platform.security.Roles.AUDITOR;
import static org.exportcontrol.platform.security.Roles.DEPARTMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.ENFORCEMENT_OFFICER;
import static org.exportcontrol.platform.security.Roles.EXPORTER;
import static org.exportcontrol.platform.security.Roles.INSPECTOR;
import static org.exportcontrol.platform.security.Roles.LICENSING_OFFICER;
import static org.exportcontrol.platform.security.Roles.LICENSING_REVIEWER;
import static org.exportcontrol.platform.security.Roles.NATIONAL_COORDINATOR;
import static org.exportcontrol.platform.security.Roles.NOTIFICATION_SENDER;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SUPERVISOR;
import static org.exportcontrol.platform.security.Roles.PROVINCIAL_SYSTEM;
import static org.exportcontrol.platform.security.Roles.QUOTA_OFFICER;

import java.util.Set;

import org.exportcontrol.platform.security.Action;

/** What callers may do in notification, and which roles may do it (docs/notification.md, docs/security-model.md). */
public enum NotificationAction implements Action {
    /** NotifyService.Notify: the platform's services only. */
    NOTIFY("notification.notify", NOTIFICATION_SENDER),
    /** ListInboxItems: every person of the chain, their own inbox only. */
    INBOX_READ("inbox.read", Inbox.PEOPLE),
    /** MarkInboxItemRead: own inbox only. */
    INBOX_MARK_READ("inbox.mark-read", Inbox.PEOPLE),
    /** AcknowledgeInboxItem: own inbox only; audited. */
    INBOX_ACKNOWLEDGE("inbox.acknowledge", Inbox.PEOPLE),
    /** SubscriptionService.Subscribe: provincial systems, their own jurisdiction (from the token). */
    STREAM_SUBSCRIBE("stream.subscribe", PROVINCIAL_SYSTEM),
    /** RegisterWebhook, DeleteWebhook: own jurisdiction; audited. */
    WEBHOOK_MANAGE("webhook.manage", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR),
    /** ListWebhooks: own jurisdiction (national: all). */
    WEBHOOK_READ("webhook.read", NATIONAL_COORDINATOR, PROVINCIAL_SUPERVISOR, AUDITOR),
    /** ListDeadLetters: own jurisdiction (national: all). */
    DEAD_LETTER_READ("dead-letter.read", NATIONAL_COORDINATOR, AUDITOR);

    private final String actionName;
    private final Set<String> allowedRoles;

    NotificationAction(String actionName, String... roles) {
        this.actionName = actionName;
        this.allowedRoles = Set.of(roles);
    }

    @Override
    public String actionName() {
        return actionName;
    }

    @Override
    public Set<String> allowedRoles() {
        return allowedRoles;
    }

    /** The people's roles: everyone who can receive a notification in an inbox. */
    static final class Inbox {
        static final String[] PEOPLE = {NATIONAL_COORDINATOR, LICENSING_OFFICER, LICENSING_REVIEWER,
                PROVINCIAL_SUPERVISOR, INSPECTOR, ENFORCEMENT_OFFICER, DEPARTMENT_OFFICER, QUOTA_OFFICER, ANALYST,
                AUDITOR, EXPORTER};

        private Inbox() {
        }
    }
}
