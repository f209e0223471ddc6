package org.exportcontrol.notification;

import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.as;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.exportcontrol.notification.NotificationFixture.in;
import static org.exportcontrol.notification.NotificationFixture.role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemRequest;
import org.exportcontrol.api.notification.v1.AcknowledgementPolicy;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.DeliveryServiceGrpc;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.ListDeadLettersRequest;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RegisterWebhookRequest;
import org.exportcontrol.api.notification.v1.WebhookServiceGrpc;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Bad input is INVALID_ARGUMENT naming every bad field, never INTERNAL, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(GreenMailResource.class)
class BadInputTest {

    @GrpcClient("notification")
    NotifyServiceGrpc.NotifyServiceBlockingStub notify;
    @GrpcClient("notification")
    InboxServiceGrpc.InboxServiceBlockingStub inbox;
    @GrpcClient("notification")
    WebhookServiceGrpc.WebhookServiceBlockingStub webhooks;
    @GrpcClient("notification")
    DeliveryServiceGrpc.DeliveryServiceBlockingStub deliveries;

    @BeforeEach
    void setUp() {
        NotificationFixture.resetDatabase();
    }

    private static List<String> badFields(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        return StatusDetails.badFields(e);
    }

    @Test
    void everyBadFieldOfANotificationIsNamedAndNothingIsStored() {
        NotifyRequest bad = NotifyRequest.newBuilder()
                .setRequestId("short")
                .addRecipients(role("wizard", "999999"))
                .addRecipients(Recipient.getDefaultInstance())
                .addRecipients(Recipient.newBuilder().setEnterpriseCreditCode("91360700MA0DEM013Q"))
                .addChannels(Channel.CHANNEL_UNSPECIFIED)
                .setJurisdiction(Jurisdiction.newBuilder().setCode("atlantis"))
                .setCategory("Alert Raised!")
                .setTitle("")
                .setLink("https://evil.example/phish")
                .setAcknowledgement(AcknowledgementPolicy.newBuilder().setDeadline(in(Duration.ofMinutes(-5))))
                .build();
        assertEquals(List.of("request_id", "channels[0]", "recipients[0].role.role",
                "recipients[0].role.jurisdiction.code", "recipients[1]", "recipients[2].enterprise_credit_code",
                "jurisdiction.code", "category", "title", "link", "acknowledgement.deadline", "channels"),
                badFields(() -> asClient(notify, SENDER).notify(bad)));
        assertEquals(0, TestDatabase.count("select count(*) from notification"));
        assertEquals(0, TestDatabase.count("select count(*) from idempotent_request"));
    }

    @Test
    void aNulCharacterOrATimestampBeyondYear9999IsRefusedBeforeTheServiceRuns() {
        NotifyRequest nul = alert(JIANGXI, "Hello\u0000world", Channel.CHANNEL_INBOX).build();
        assertEquals(List.of("title"), badFields(() -> asClient(notify, SENDER).notify(nul)));
        NotifyRequest farFuture = alert(JIANGXI, "Hello", Channel.CHANNEL_INBOX)
                .setAcknowledgement(AcknowledgementPolicy.newBuilder()
                        .setDeadline(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2)))
                .build();
        assertEquals(List.of("acknowledgement.deadline"), badFields(() -> asClient(notify, SENDER).notify(farFuture)));
        assertEquals(0, TestDatabase.count("select count(*) from notification"));
    }

    @Test
    void unknownEnumNumbersAndMissingRecipientsAreNamedToo() {
        NotifyRequest unknownChannel = alert(JIANGXI, "Hello", Channel.CHANNEL_INBOX).clearChannels().addChannelsValue(42)
                .setPriorityValue(99).build();
        assertEquals(List.of("channels[0]", "priority"), badFields(() -> asClient(notify, SENDER).notify(unknownChannel)));
        NotifyRequest nobody = alert(JIANGXI, "Hello", Channel.CHANNEL_EMAIL).clearRecipients().build();
        assertEquals(List.of("recipients"), badFields(() -> asClient(notify, SENDER).notify(nobody)));
        NotifyRequest noChannel = alert(JIANGXI, "Hello").build();
        assertEquals(List.of("channels"), badFields(() -> asClient(notify, SENDER).notify(noChannel)));
        assertEquals(0, TestDatabase.count("select count(*) from notification"));
    }

    @Test
    void badIdsUrlsAndPageTokensAreNamed() {
        assertEquals(List.of("request_id", "notification_id"), badFields(() -> as(inbox, "jx-enforcement-officer")
                .acknowledgeInboxItem(AcknowledgeInboxItemRequest.newBuilder().setRequestId("x").setNotificationId("42")
                        .build())));
        assertEquals(List.of("page_token"), badFields(() -> as(inbox, "jx-enforcement-officer")
                .listInboxItems(ListInboxItemsRequest.newBuilder().setPageToken("garbage").build())));
        assertEquals(List.of("page_size"), badFields(() -> as(deliveries, "nat-coordinator")
                .listDeadLetters(ListDeadLettersRequest.newBuilder().setPageSize(-1).build())));
        assertEquals(List.of("jurisdiction.code", "url"), badFields(() -> as(webhooks, "jx-supervisor")
                .registerWebhook(RegisterWebhookRequest.newBuilder().setRequestId(NotificationFixture.id())
                        .setJurisdiction(Jurisdiction.newBuilder().setCode("jiangxi")).setUrl("ftp://files.example/x")
                        .build())));
        assertEquals(0, TestDatabase.count("select count(*) from webhook"));
    }

    @Test
    void aRequestOverTheSizeLimitIsResourceExhaustedHoweverItIsMadeUp() {
        // One huge string and many small elements must both be refused with the same status, at any size.
        List<String> seen = new java.util.ArrayList<>();
        for (int mib : List.of(5, 12, 40)) {
            NotifyRequest oneString = alert(JIANGXI, "x".repeat(mib * 1024 * 1024), Channel.CHANNEL_INBOX).build();
            NotifyRequest.Builder many = alert(JIANGXI, "Hello", Channel.CHANNEL_INBOX);
            for (int i = 0; i < mib * 25_000; i++) {
                many.addRecipients(role("enforcement-officer", JIANGXI));
            }
            for (NotifyRequest oversized : List.of(oneString, many.build())) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> asClient(notify, SENDER).notify(oversized));
                seen.add(mib + " MiB " + oversized.getRecipientsCount() + ": " + e.getStatus());
            }
        }
        assertEquals(List.of(), seen.stream().filter(s -> !s.contains("RESOURCE_EXHAUSTED")).toList(), String.join("\n", seen));
        assertEquals(0, TestDatabase.count("select count(*) from notification"));
    }
}
