package org.exportcontrol.notification;

import static io.restassured.RestAssured.given;
import static org.exportcontrol.notification.NotificationFixture.HUNAN;
import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.as;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.exportcontrol.notification.NotificationFixture.awaitSettled;
import static org.exportcontrol.notification.NotificationFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.DeadLetter;
import org.exportcontrol.api.notification.v1.DeleteWebhookRequest;
import org.exportcontrol.api.notification.v1.DeliveryKind;
import org.exportcontrol.api.notification.v1.DeliveryServiceGrpc;
import org.exportcontrol.api.notification.v1.ListDeadLettersRequest;
import org.exportcontrol.api.notification.v1.ListWebhooksRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.RegisterWebhookRequest;
import org.exportcontrol.api.notification.v1.RegisterWebhookResponse;
import org.exportcontrol.api.notification.v1.WebhookServiceGrpc;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.Metrics;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** E-mail over real SMTP (GreenMail), signed webhooks to a local receiver, retries and dead letters, metrics. */
@QuarkusTest
@QuarkusTestResource(GreenMailResource.class)
class EmailAndWebhookTest {

    @GrpcClient("notification")
    NotifyServiceGrpc.NotifyServiceBlockingStub notify;
    @GrpcClient("notification")
    WebhookServiceGrpc.WebhookServiceBlockingStub webhooks;
    @GrpcClient("notification")
    DeliveryServiceGrpc.DeliveryServiceBlockingStub deliveries;

    @InjectGreenMail
    GreenMail greenMail;

    @BeforeEach
    void setUp() throws Exception {
        NotificationFixture.resetDatabase();
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void theEmailArrivesAtTheSmtpServerWithTheRightSubjectAndBody() throws Exception {
        String id = asClient(notify, SENDER).notify(alert(JIANGXI, "Suspected outflow at Ganzhou",
                Channel.CHANNEL_INBOX, Channel.CHANNEL_EMAIL).build()).getNotificationId();
        Await.until("two e-mails", Duration.ofSeconds(20), () -> greenMail.getReceivedMessages().length >= 2);
        awaitSettled(id);
        MimeMessage[] messages = greenMail.getReceivedMessages();
        assertEquals(2, messages.length, "one per Jiangxi officer, none for Hunan's");
        Set<String> to = Arrays.stream(messages).map(EmailAndWebhookTest::to).collect(Collectors.toSet());
        assertEquals(Set.of("jx-enforcement-officer@demo.exportcontrol.invalid",
                "jx-enforcement-officer2@demo.exportcontrol.invalid"), to);
        for (MimeMessage m : messages) {
            assertEquals("Suspected outflow at Ganzhou", m.getSubject());
            assertEquals("notifications@exportcontrol.invalid", m.getFrom()[0].toString());
            assertEquals(id, m.getHeader("X-ExportControl-Notification")[0]);
            String body = text(m);
            assertTrue(body.contains("short by 1,250 kg of dysprosium oxide"), body);
            assertTrue(body.contains("http://127.0.0.1:8080/alerts/A-2026-0042"), body);
            assertTrue(body.contains("Jiangxi (360000)"), body);
        }
        assertEquals(2, TestDatabase.count("select count(*) from delivery where kind = 'EMAIL' and state = 'DELIVERED'"
                + " and notification_id = '" + id + "'"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("notification_delivery_latency_seconds_bucket{channel=\"email\""), "email latency histogram");
        assertTrue(metrics.contains("notification_delivery_latency_seconds_bucket{channel=\"inbox\""), "inbox latency histogram");
    }

    @Test
    void theWebhookSignatureVerifiesWithTheSharedSecretAndFailsWithAnother() throws Exception {
        try (WebhookReceiver jiangxi = new WebhookReceiver(); WebhookReceiver hunan = new WebhookReceiver()) {
            RegisterWebhookResponse registered = as(webhooks, "jx-supervisor").registerWebhook(RegisterWebhookRequest
                    .newBuilder().setRequestId(id()).setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI))
                    .setUrl(jiangxi.url()).setDescription("Jiangxi provincial duty desk").build());
            String secret = registered.getSecret();
            assertEquals(64, secret.length());
            as(webhooks, "hn-supervisor").registerWebhook(RegisterWebhookRequest.newBuilder().setRequestId(id())
                    .setJurisdiction(Jurisdiction.newBuilder().setCode(HUNAN)).setUrl(hunan.url()).build());
            assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'webhook.register'"
                    + " and actor = 'jx-supervisor' and subject = 'webhook/" + registered.getWebhook().getId() + "'"));

            String id = asClient(notify, SENDER).notify(alert(JIANGXI, "Suspected outflow at Ganzhou",
                    Channel.CHANNEL_WEBHOOK).build()).getNotificationId();
            Await.until("the webhook call", Duration.ofSeconds(20), () -> jiangxi.calls.size() == 1);
            awaitSettled(id);
            WebhookReceiver.Call call = jiangxi.calls.get(0);
            String timestamp = call.headers().get("x-exportcontrol-timestamp");
            String signature = call.headers().get("x-exportcontrol-signature");
            assertTrue(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000) < 60, "a fresh timestamp");
            // what a receiver does (docs/notification.md): HMAC-SHA256(secret, timestamp + "." + raw body)
            assertEquals(signature, "v1=" + hmac(secret, timestamp, call.body()));
            assertFalse(signature.equals("v1=" + hmac("another-secret-" + secret.substring(16), timestamp, call.body())));
            assertFalse(signature.equals("v1=" + hmac(secret, Long.toString(Long.parseLong(timestamp) + 1), call.body())),
                    "the timestamp is signed too");
            JsonNode json = new ObjectMapper().readTree(call.body());
            assertEquals(id, json.get("notification_id").asText());
            assertEquals("Suspected outflow at Ganzhou", json.get("title").asText());
            assertEquals(JIANGXI, json.get("jurisdiction").asText());
            assertEquals("alert.raised", call.headers().get("x-exportcontrol-event"));
            assertEquals(0, hunan.calls.size(), "Hunan's webhook does not get Jiangxi's notification");
        }
    }

    @Test
    void webhooksAreManagedInsideOnesJurisdiction() {
        RegisterWebhookRequest forJiangxi = RegisterWebhookRequest.newBuilder().setRequestId(id())
                .setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI)).setUrl("https://duty.jx.example/hook").build();
        StatusRuntimeException outside = assertThrows(StatusRuntimeException.class,
                () -> as(webhooks, "hn-supervisor").registerWebhook(forJiangxi));
        assertEquals(Status.Code.PERMISSION_DENIED, outside.getStatus().getCode());
        assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(outside).orElseThrow());
        StatusRuntimeException role = assertThrows(StatusRuntimeException.class,
                () -> as(webhooks, "jx-enforcement-officer").registerWebhook(forJiangxi));
        assertEquals("ROLE_NOT_ALLOWED", StatusDetails.reason(role).orElseThrow());

        RegisterWebhookResponse first = as(webhooks, "jx-supervisor").registerWebhook(forJiangxi);
        assertEquals(first, as(webhooks, "jx-supervisor").registerWebhook(forJiangxi), "a repeat returns the first answer");
        as(webhooks, "nat-coordinator").registerWebhook(RegisterWebhookRequest.newBuilder().setRequestId(id())
                .setJurisdiction(Jurisdiction.newBuilder().setCode("national")).setUrl("https://duty.national.example/hook")
                .build());
        assertEquals(1, as(webhooks, "jx-supervisor").listWebhooks(ListWebhooksRequest.getDefaultInstance()).getWebhooksCount());
        assertEquals(2, as(webhooks, "nat-coordinator").listWebhooks(ListWebhooksRequest.getDefaultInstance()).getWebhooksCount());

        StatusRuntimeException foreignDelete = assertThrows(StatusRuntimeException.class, () -> as(webhooks, "hn-supervisor")
                .deleteWebhook(DeleteWebhookRequest.newBuilder().setRequestId(id()).setId(first.getWebhook().getId()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, foreignDelete.getStatus().getCode());
        as(webhooks, "jx-supervisor").deleteWebhook(DeleteWebhookRequest.newBuilder().setRequestId(id())
                .setId(first.getWebhook().getId()).build());
        assertEquals(0, as(webhooks, "jx-supervisor").listWebhooks(ListWebhooksRequest.getDefaultInstance()).getWebhooksCount());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry where action = 'webhook.delete'"));
    }

    @Test
    void aFailingWebhookIsRetriedWithBackoffThenADeadLetterOperatorsSee() throws Exception {
        double before = deadLetters("webhook");
        try (WebhookReceiver failing = new WebhookReceiver()) {
            failing.status.set(500);
            as(webhooks, "jx-supervisor").registerWebhook(RegisterWebhookRequest.newBuilder().setRequestId(id())
                    .setJurisdiction(Jurisdiction.newBuilder().setCode(JIANGXI)).setUrl(failing.url()).build());
            String id = asClient(notify, SENDER).notify(alert(JIANGXI, "Nobody listens", Channel.CHANNEL_WEBHOOK).build())
                    .getNotificationId();
            Await.until("the delivery to die", Duration.ofSeconds(20), () -> TestDatabase.count(
                    "select count(*) from delivery where state = 'DEAD'") == 1);
            assertEquals(3, failing.calls.size(), "three attempts (notification.delivery.max-attempts=3 in tests)");

            List<DeadLetter> dead = as(deliveries, "nat-coordinator").listDeadLetters(ListDeadLettersRequest
                    .getDefaultInstance()).getDeadLettersList();
            assertEquals(1, dead.size());
            assertEquals(id, dead.get(0).getNotificationId());
            assertEquals(DeliveryKind.DELIVERY_KIND_WEBHOOK, dead.get(0).getKind());
            assertEquals(3, dead.get(0).getAttempts());
            assertEquals("HTTP 500", dead.get(0).getLastError());
            assertEquals(failing.url(), dead.get(0).getAddress());
            assertEquals(1, as(deliveries, "nat-auditor").listDeadLetters(ListDeadLettersRequest.getDefaultInstance())
                    .getDeadLettersCount());
            StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> as(deliveries,
                    "jx-enforcement-officer").listDeadLetters(ListDeadLettersRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
            assertEquals(before + 1, deadLetters("webhook"));
        }
    }

    private static double deadLetters(String channel) {
        return Metrics.value("notification_dead_letters_total", "channel", channel);
    }

    static String hmac(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static String to(MimeMessage m) {
        try {
            return m.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof Multipart multipart) {
            return multipart.getBodyPart(0).getContent().toString();
        }
        return content.toString();
    }
}
