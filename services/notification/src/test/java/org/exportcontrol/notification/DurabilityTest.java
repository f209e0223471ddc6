package org.exportcontrol.notification;

import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.as;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.exportcontrol.notification.NotificationFixture.id;
import static org.exportcontrol.notification.NotificationFixture.inbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.InboxServiceGrpc;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.RegisterWebhookRequest;
import org.exportcontrol.api.notification.v1.WebhookServiceGrpc;
import org.exportcontrol.notification.service.DeliveryWorker;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Nothing accepted is lost: with the delivery worker stopped (as in a crash right after Notify
 * answered), the accepted notification and its deliveries are committed rows and stay pending;
 * a worker that starts later (here: driven by hand) delivers every one of them.
 */
@QuarkusTest
@TestProfile(DurabilityTest.WorkerStopped.class)
@QuarkusTestResource(GreenMailResource.class)
class DurabilityTest {

    /** The service with its delivery worker and escalation scheduler switched off. */
    public static class WorkerStopped implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notification.worker.enabled", "false", "notification.escalation.enabled", "false");
        }
    }

    @GrpcClient("notification")
    NotifyServiceGrpc.NotifyServiceBlockingStub notify;
    @GrpcClient("notification")
    InboxServiceGrpc.InboxServiceBlockingStub inbox;
    @GrpcClient("notification")
    WebhookServiceGrpc.WebhookServiceBlockingStub webhooks;
    @Inject
    DeliveryWorker worker;
    @InjectGreenMail
    GreenMail greenMail;

    @BeforeEach
    void setUp() throws Exception {
        NotificationFixture.resetDatabase();
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void pendingDeliveriesSurviveUntilAWorkerRunsThemAndAreDeliveredOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            as(webhooks, "jx-supervisor").registerWebhook(RegisterWebhookRequest.newBuilder().setRequestId(id())
                    .setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI)).setUrl(receiver.url()).build());
            String id = asClient(notify, SENDER).notify(alert(JIANGXI, "Accepted before the crash",
                    Channel.CHANNEL_INBOX, Channel.CHANNEL_EMAIL, Channel.CHANNEL_WEBHOOK).build()).getNotificationId();

            // Notify answered: the notification and its deliveries are committed (read on another connection)
            assertEquals(1, TestDatabase.count("select count(*) from notification where id = '" + id + "'"));
            assertEquals(1, TestDatabase.count("select count(*) from delivery where state = 'PENDING' and kind = 'RESOLVE'"));
            assertEquals(1, TestDatabase.count("select count(*) from delivery where state = 'PENDING' and kind = 'WEBHOOK'"));
            Thread.sleep(1500); // several poll intervals: nothing moves without a worker
            assertEquals(2, TestDatabase.count("select count(*) from delivery where state = 'PENDING'"));
            assertEquals(0, TestDatabase.count("select count(*) from inbox_item"));
            assertEquals(0, greenMail.getReceivedMessages().length);
            assertEquals(0, receiver.calls.size());

            // a worker starts (after the restart) and finds the work in the database
            int attempted = worker.drainUntilIdle().await().atMost(Duration.ofSeconds(60));
            assertEquals(4, attempted, "resolve, webhook, then two e-mails");
            assertEquals(0, TestDatabase.count("select count(*) from delivery where state <> 'DELIVERED'"));
            assertEquals(2, TestDatabase.count("select count(*) from inbox_item where notification_id = '" + id + "'"));
            assertEquals(1, inbox(inbox, "jx-enforcement-officer").size());
            assertEquals(2, greenMail.getReceivedMessages().length);
            assertEquals(1, receiver.calls.size());

            // running it again delivers nothing twice
            assertEquals(0, worker.drainUntilIdle().await().atMost(Duration.ofSeconds(10)));
            assertEquals(2, greenMail.getReceivedMessages().length);
            assertEquals(1, receiver.calls.size());
            assertTrue(TestDatabase.count("select count(*) from delivery where delivered_at is null") == 0);
        }
    }
}
