package org.exportcontrol.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;

import io.grpc.stub.AbstractStub;

/** Shared set-up of the notification tests: real tokens, requests as the platform's services send them. */
final class NotificationFixture {

    static final String JIANGXI = "360000";
    static final String HUNAN = "430000";
    static final String JIANGXI_ENTERPRISE = "91360700MA0DEM013P";
    /** A platform service holding notification-sender. */
    static final String SENDER = "enforcement-service";

    private NotificationFixture() {
    }

    static void resetDatabase() {
        TestDatabase.reset("stream_event", "delivery", "inbox_item", "notification", "webhook");
    }

    static <S extends AbstractStub<S>> S as(S stub, String user) {
        return GrpcAuth.bearer(stub, RealmTokens.user(user));
    }

    static <S extends AbstractStub<S>> S asClient(S stub, String clientId) {
        return GrpcAuth.bearer(stub, RealmTokens.client(clientId));
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static Recipient role(String role, String jurisdiction) {
        return Recipient.newBuilder().setRole(RoleRecipient.newBuilder().setRole(role)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .setDepartment(Department.DEPARTMENT_UNSPECIFIED)).build();
    }

    /** An alert for the enforcement officers of a province, on the given channels. */
    static NotifyRequest.Builder alert(String jurisdiction, String title, Channel... channels) {
        return NotifyRequest.newBuilder()
                .setRequestId(id())
                .addRecipients(role("enforcement-officer", jurisdiction))
                .setPriority(Priority.PRIORITY_NORMAL)
                .setDeduplicationKey("alert:" + id())
                .addAllChannels(List.of(channels))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .setCategory("alert.raised")
                .setTitle(title)
                .setBody("Mass balance of lot GZ-2026-0417 at Ganzhou separation plant is short by 1,250 kg of"
                        + " dysprosium oxide against the published threshold of 500 kg.")
                .setLink("/alerts/A-2026-0042");
    }

    static List<InboxItem> inbox(InboxServiceGrpc.InboxServiceBlockingStub stub, String user) {
        return as(stub, user).listInboxItems(ListInboxItemsRequest.newBuilder().setPageSize(100).build()).getItemsList();
    }

    static boolean hasInInbox(InboxServiceGrpc.InboxServiceBlockingStub stub, String user, String notificationId) {
        return inbox(stub, user).stream().anyMatch(i -> i.getNotification().getId().equals(notificationId));
    }

    static void awaitInInbox(InboxServiceGrpc.InboxServiceBlockingStub stub, String user, String notificationId) {
        Await.until(user + "'s inbox to hold " + notificationId, Duration.ofSeconds(20),
                () -> hasInInbox(stub, user, notificationId));
    }

    /** Waits until the notification has no pending delivery left (the worker is done with it). */
    static void awaitSettled(String notificationId) {
        Await.until("deliveries of " + notificationId + " to settle", Duration.ofSeconds(20),
                () -> TestDatabase.count("select count(*) from delivery where state = 'PENDING' and notification_id = '"
                        + notificationId + "'") == 0);
    }

    static com.google.protobuf.Timestamp in(Duration d) {
        Instant t = Instant.now().plus(d);
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
