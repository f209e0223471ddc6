package org.exportcontrol.notification;

import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.as;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.exportcontrol.notification.NotificationFixture.awaitInInbox;
import static org.exportcontrol.notification.NotificationFixture.id;
import static org.exportcontrol.notification.NotificationFixture.in;
import static org.exportcontrol.notification.NotificationFixture.inbox;
import static org.exportcontrol.notification.NotificationFixture.role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemRequest;
import org.exportcontrol.api.notification.v1.AcknowledgementPolicy;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Unacknowledged notifications escalate up the chain on the scheduler, as the service itself; acknowledged ones do not. */
@QuarkusTest
@QuarkusTestResource(GreenMailResource.class)
class EscalationTest {

    @GrpcClient("notification")
    NotifyServiceGrpc.NotifyServiceBlockingStub notify;
    @GrpcClient("notification")
    InboxServiceGrpc.InboxServiceBlockingStub inbox;

    NotifyServiceGrpc.NotifyServiceBlockingStub sender;

    @BeforeEach
    void setUp() {
        NotificationFixture.resetDatabase();
        sender = asClient(notify, SENDER);
    }

    private Optional<InboxItem> escalationOf(String user, String id) {
        return inbox(inbox, user).stream().filter(i -> i.getNotification().getEscalationOf().equals(id)).findFirst();
    }

    @Test
    void anUnacknowledgedJiangxiNotificationEscalatesToTheNationalLevel() throws InterruptedException {
        String ignored = sender.notify(alert(JIANGXI, "Outflow suspected: acknowledge", Channel.CHANNEL_INBOX)
                .setAcknowledgement(AcknowledgementPolicy.newBuilder().setDeadline(in(Duration.ofSeconds(2)))).build())
                .getNotificationId();
        String acknowledged = sender.notify(alert(JIANGXI, "Handled in time", Channel.CHANNEL_INBOX)
                .setAcknowledgement(AcknowledgementPolicy.newBuilder().setDeadline(in(Duration.ofSeconds(2)))).build())
                .getNotificationId();
        awaitInInbox(inbox, "jx-enforcement-officer2", acknowledged);
        as(inbox, "jx-enforcement-officer2").acknowledgeInboxItem(AcknowledgeInboxItemRequest.newBuilder()
                .setRequestId(id()).setNotificationId(acknowledged).build());

        Await.until("the escalation to reach the national enforcement officer", Duration.ofSeconds(30),
                () -> escalationOf("nat-enforcement-officer", ignored).isPresent());
        InboxItem escalation = escalationOf("nat-enforcement-officer", ignored).orElseThrow();
        assertTrue(escalation.getNotification().getTitle().startsWith("Escalated: Outflow suspected"));
        assertEquals(Priority.PRIORITY_HIGH, escalation.getNotification().getPriority());
        assertEquals(JIANGXI, escalation.getNotification().getJurisdiction().getCode());
        assertEquals("notification-service", escalation.getNotification().getSender());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'notification.escalate'"
                + " and actor = 'notification-service' and actor_kind = 'SERVICE' and subject = 'notification/" + ignored + "'"));

        Thread.sleep(2500); // more scheduler runs: nothing escalates twice, and the acknowledged one never
        assertEquals(1, TestDatabase.count("select count(*) from notification where escalation_of = '" + ignored + "'"));
        assertFalse(escalationOf("nat-enforcement-officer", acknowledged).isPresent());
        assertEquals(1, TestDatabase.count("select count(*) from notification where escalation_of is not null"));
        assertFalse(escalationOf("jx-enforcement-officer", ignored).isPresent(), "escalations go up, not sideways");
    }

    @Test
    void atTheNationalLevelItEscalatesToTheNationalCoordinator() {
        String national = sender.notify(alert("national", "National directive: acknowledge", Channel.CHANNEL_INBOX)
                .clearRecipients().addRecipients(role("enforcement-officer", "national"))
                .setAcknowledgement(AcknowledgementPolicy.newBuilder().setDeadline(in(Duration.ofSeconds(1)))).build())
                .getNotificationId();
        Await.until("the escalation to reach the national coordinator", Duration.ofSeconds(30),
                () -> escalationOf("nat-coordinator", national).isPresent());
        assertEquals(List.of(), inbox(inbox, "nat-enforcement-officer").stream()
                .filter(i -> !i.getNotification().getEscalationOf().isEmpty()).toList());
    }
}
