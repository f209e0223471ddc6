package org.exportcontrol.notification;

import static org.exportcontrol.notification.NotificationFixture.HUNAN;
import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.as;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.exportcontrol.notification.NotificationFixture.awaitInInbox;
import static org.exportcontrol.notification.NotificationFixture.awaitSettled;
import static org.exportcontrol.notification.NotificationFixture.hasInInbox;
import static org.exportcontrol.notification.NotificationFixture.id;
import static org.exportcontrol.notification.NotificationFixture.inbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemRequest;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.notification.v1.ListInboxItemsResponse;
import org.exportcontrol.api.notification.v1.MarkInboxItemReadRequest;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyResponse;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.platform.testing.Metrics;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Routing by role, jurisdiction, department, user and enterprise through the real realm; the inbox; who may notify. */
@QuarkusTest
@QuarkusTestResource(GreenMailResource.class)
class RoutingTest {

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

    @Test
    void theNextAlertToTheSameRecipientsIsRoutedWithoutAskingTheRealmAgain() {
        String first = sender.notify(alert(HUNAN, "Tungsten concentrate short at Chenzhou", Channel.CHANNEL_INBOX).build())
                .getNotificationId();
        awaitInInbox(inbox, "hn-enforcement-officer", first);
        double misses = recipientLookUps("miss");
        double hits = recipientLookUps("hit");
        String second = sender.notify(alert(HUNAN, "Tungsten concentrate short again", Channel.CHANNEL_INBOX).build())
                .getNotificationId();
        awaitInInbox(inbox, "hn-enforcement-officer", second);
        awaitSettled(second);
        assertTrue(recipientLookUps("hit") > hits, "the second alert's recipients were not taken from the cache");
        assertEquals(misses, recipientLookUps("miss"), "the second alert's recipients were looked up in the realm again");
    }

    /** The recipients cache's reads with this result ("hit", "miss"), from the service's Prometheus metrics. */
    static double recipientLookUps(String result) {
        return Metrics.value("cache_gets_total", "cache", "recipients", "result", result);
    }

    @Test
    void enforcementOfficersOfJiangxiGetItAndHunansDoNot() {
        NotifyResponse response = sender.notify(alert(JIANGXI, "Suspected outflow at Ganzhou", Channel.CHANNEL_INBOX).build());
        assertFalse(response.getDuplicate());
        String id = response.getNotificationId();
        awaitInInbox(inbox, "jx-enforcement-officer", id);
        awaitInInbox(inbox, "jx-enforcement-officer2", id);
        awaitSettled(id);
        assertFalse(hasInInbox(inbox, "hn-enforcement-officer", id), "Hunan's officer must not get Jiangxi's alert");
        assertFalse(hasInInbox(inbox, "nat-enforcement-officer", id), "the national officer is not a recipient");
        assertFalse(hasInInbox(inbox, "jx-supervisor", id), "another role of Jiangxi is not a recipient");
        assertEquals(2, TestDatabase.count("select count(*) from inbox_item where notification_id = '" + id + "'"));

        InboxItem item = inbox(inbox, "jx-enforcement-officer").get(0);
        assertEquals("Suspected outflow at Ganzhou", item.getNotification().getTitle());
        assertEquals(JIANGXI, item.getNotification().getJurisdiction().getCode());
        assertEquals("enforcement-service", item.getNotification().getSender());
        assertFalse(item.hasReadAt());
    }

    @Test
    void aDepartmentNarrowsTheRecipients() {
        NotifyRequest toCustoms = alert(JIANGXI, "Customs: hold container", Channel.CHANNEL_INBOX).clearRecipients()
                .addRecipients(Recipient.newBuilder().setRole(RoleRecipient.newBuilder().setRole("department-officer")
                        .setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI))
                        .setDepartment(Department.DEPARTMENT_CUSTOMS)))
                .build();
        String id = sender.notify(toCustoms).getNotificationId();
        awaitInInbox(inbox, "jx-customs-officer", id);
        awaitSettled(id);
        assertFalse(hasInInbox(inbox, "jx-publicsecurity-officer", id), "public security is another department");
        assertFalse(hasInInbox(inbox, "hn-customs-officer", id), "Hunan's customs is another jurisdiction");
    }

    @Test
    void byUserAndByEnterprise() {
        String toUser = sender.notify(alert(JIANGXI, "Directive for you", Channel.CHANNEL_INBOX).clearRecipients()
                .addRecipients(Recipient.newBuilder().setUsername("nat-coordinator")).build()).getNotificationId();
        String toEnterprise = sender.notify(alert(JIANGXI, "Application decided", Channel.CHANNEL_INBOX).clearRecipients()
                .setCategory("application.decided")
                .addRecipients(Recipient.newBuilder().setEnterpriseCreditCode(JIANGXI_ENTERPRISE)).build())
                .getNotificationId();
        awaitInInbox(inbox, "nat-coordinator", toUser);
        awaitInInbox(inbox, "jx-exporter", toEnterprise);
        awaitSettled(toEnterprise);
        assertFalse(hasInInbox(inbox, "hn-exporter", toEnterprise), "another enterprise's staff");
    }

    @Test
    void theSameDeduplicationKeyTwiceDeliversOnce() {
        NotifyRequest first = alert(JIANGXI, "Threshold crossed", Channel.CHANNEL_INBOX).setDeduplicationKey("alert:A-1")
                .build();
        NotifyResponse a = sender.notify(first);
        NotifyResponse b = sender.notify(first.toBuilder().setRequestId(id()).build());
        assertFalse(a.getDuplicate());
        assertTrue(b.getDuplicate());
        assertEquals(a.getNotificationId(), b.getNotificationId());
        awaitInInbox(inbox, "jx-enforcement-officer", a.getNotificationId());
        awaitSettled(a.getNotificationId());
        assertEquals(1, TestDatabase.count("select count(*) from notification"));
        assertEquals(1, inbox(inbox, "jx-enforcement-officer").size());
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstAnswerAndAReusedOneIsRefused() {
        NotifyRequest request = alert(JIANGXI, "Once", Channel.CHANNEL_INBOX).build();
        NotifyResponse first = sender.notify(request);
        NotifyResponse again = sender.notify(request);
        assertEquals(first.getNotificationId(), again.getNotificationId());
        assertTrue(again.getDuplicate());
        StatusRuntimeException reused = assertThrows(StatusRuntimeException.class,
                () -> sender.notify(request.toBuilder().setTitle("Something else").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, reused.getStatus().getCode());
        assertEquals("REQUEST_ID_REUSED", StatusDetails.reason(reused).orElseThrow());
        assertEquals(1, TestDatabase.count("select count(*) from notification"));
    }

    @Test
    void onlyThePlatformsServicesMayNotify() {
        NotifyRequest request = alert(JIANGXI, "Not from a person", Channel.CHANNEL_INBOX).build();
        for (String user : List.of("jx-enforcement-officer", "nat-coordinator")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(notify, user).notify(request));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), user);
            assertEquals("ROLE_NOT_ALLOWED", StatusDetails.reason(e).orElseThrow());
        }
        StatusRuntimeException system = assertThrows(StatusRuntimeException.class,
                () -> asClient(notify, "province-360000-system").notify(request));
        assertEquals(Status.Code.PERMISSION_DENIED, system.getStatus().getCode());
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> notify.notify(request));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
        assertEquals(0, TestDatabase.count("select count(*) from notification"));
        // licensing's service account is a sender too
        assertFalse(asClient(notify, "licensing-service").notify(request).getNotificationId().isEmpty());
    }

    @Test
    void readingAndAcknowledgingOwnItemsOnlyAndTheAcknowledgementIsAudited() {
        String id = sender.notify(alert(HUNAN, "Check lot CS-7", Channel.CHANNEL_INBOX).build()).getNotificationId();
        awaitInInbox(inbox, "hn-enforcement-officer", id);
        var officer = as(inbox, "hn-enforcement-officer");

        ListInboxItemsResponse unread = officer.listInboxItems(ListInboxItemsRequest.newBuilder().setUnreadOnly(true).build());
        assertEquals(1, unread.getItemsCount());
        InboxItem read = officer.markInboxItemRead(MarkInboxItemReadRequest.newBuilder().setRequestId(id())
                .setNotificationId(id).build()).getItem();
        assertTrue(read.hasReadAt());
        assertEquals(0, officer.listInboxItems(ListInboxItemsRequest.newBuilder().setUnreadOnly(true).build()).getItemsCount());

        // someone else's item does not exist for the caller
        StatusRuntimeException foreign = assertThrows(StatusRuntimeException.class, () -> as(inbox, "jx-enforcement-officer")
                .acknowledgeInboxItem(AcknowledgeInboxItemRequest.newBuilder().setRequestId(id()).setNotificationId(id).build()));
        assertEquals(Status.Code.NOT_FOUND, foreign.getStatus().getCode());

        AcknowledgeInboxItemRequest ack = AcknowledgeInboxItemRequest.newBuilder().setRequestId(id()).setNotificationId(id).build();
        InboxItem acknowledged = officer.acknowledgeInboxItem(ack).getItem();
        assertTrue(acknowledged.hasAcknowledgedAt());
        assertEquals(acknowledged, officer.acknowledgeInboxItem(ack).getItem(), "a repeat returns the first answer");
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'notification.acknowledge'"
                + " and actor = 'hn-enforcement-officer' and subject = 'notification/" + id + "' and jurisdiction = '"
                + HUNAN + "'"));

        // services have no inbox
        StatusRuntimeException service = assertThrows(StatusRuntimeException.class,
                () -> asClient(inbox, SENDER).listInboxItems(ListInboxItemsRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, service.getStatus().getCode());
    }

    @Test
    void theInboxPagesNewestFirst() {
        for (int i = 1; i <= 3; i++) {
            String id = sender.notify(alert(JIANGXI, "Alert " + i, Channel.CHANNEL_INBOX).build()).getNotificationId();
            awaitInInbox(inbox, "jx-enforcement-officer2", id);
        }
        var officer = as(inbox, "jx-enforcement-officer2");
        ListInboxItemsResponse first = officer.listInboxItems(ListInboxItemsRequest.newBuilder().setPageSize(2).build());
        assertEquals(List.of("Alert 3", "Alert 2"), first.getItemsList().stream().map(i -> i.getNotification().getTitle()).toList());
        ListInboxItemsResponse second = officer.listInboxItems(ListInboxItemsRequest.newBuilder().setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());
        assertEquals(List.of("Alert 1"), second.getItemsList().stream().map(i -> i.getNotification().getTitle()).toList());
        assertEquals("", second.getNextPageToken());
    }
}
