package org.exportcontrol.notification;

import static org.exportcontrol.notification.NotificationFixture.HUNAN;
import static org.exportcontrol.notification.NotificationFixture.JIANGXI;
import static org.exportcontrol.notification.NotificationFixture.SENDER;
import static org.exportcontrol.notification.NotificationFixture.alert;
import static org.exportcontrol.notification.NotificationFixture.asClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.SubscribeRequest;
import org.exportcontrol.api.notification.v1.SubscriptionServiceGrpc;
import org.exportcontrol.notification.service.StreamHub;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.StatusDetails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The provincial systems' subscription: own jurisdiction only, live push, and resume from a cursor exactly once. */
@QuarkusTest
@QuarkusTestResource(GreenMailResource.class)
class StreamTest {

    @GrpcClient("notification")
    NotifyServiceGrpc.NotifyServiceBlockingStub notify;
    @Inject
    StreamHub hub;

    ManagedChannel channel;
    NotifyServiceGrpc.NotifyServiceBlockingStub sender;

    @BeforeEach
    void setUp() {
        NotificationFixture.resetDatabase();
        channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        sender = asClient(notify, SENDER);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private StreamRecorder subscribe(String system, String cursor) {
        StreamRecorder recorder = new StreamRecorder();
        GrpcAuth.bearer(SubscriptionServiceGrpc.newStub(channel), RealmTokens.client(system))
                .subscribe(SubscribeRequest.newBuilder().setCursor(cursor).build(), recorder);
        return recorder;
    }

    private String send(String jurisdiction, String title) {
        return sender.notify(alert(jurisdiction, title, Channel.CHANNEL_STREAM).build()).getNotificationId();
    }

    @Test
    void aReconnectingSystemGetsWhatItMissedExactlyOnce() throws InterruptedException {
        StreamRecorder first = subscribe("province-360000-system", "");
        String before = send(JIANGXI, "Before the outage");
        String hunanOnly = send(HUNAN, "Hunan's business");
        Await.until("the live event", Duration.ofSeconds(20), () -> first.received.size() == 1);
        assertEquals(List.of(before), first.ids());
        String cursor = first.lastCursor();

        first.disconnect();
        Await.until("the subscription to end on the server", Duration.ofSeconds(10), () -> hub.subscriberCount() == 0);
        String m1 = send(JIANGXI, "Missed 1");
        String m2 = send(JIANGXI, "Missed 2");
        String m3 = send(JIANGXI, "Missed 3");
        send(HUNAN, "Hunan again");
        Thread.sleep(700);
        assertEquals(List.of(before), first.ids(), "nothing reaches a disconnected system");

        StreamRecorder resumed = subscribe("province-360000-system", cursor);
        Await.until("the three missed events", Duration.ofSeconds(20), () -> resumed.received.size() >= 3);
        Thread.sleep(1500); // several poll intervals and wake-ups: nothing may come twice
        assertEquals(List.of(m1, m2, m3), resumed.ids(), "each missed event once, in order, and nothing older");
        assertEquals(List.of("Missed 1", "Missed 2", "Missed 3"),
                resumed.received.stream().map(r -> r.getNotification().getTitle()).toList());

        String live = send(JIANGXI, "Live again");
        Await.until("the live event after the resume", Duration.ofSeconds(20), () -> resumed.received.size() == 4);
        assertEquals(live, resumed.ids().get(3));
        assertNull(resumed.error);

        StreamRecorder hunan = subscribe("province-430000-system", "");
        Await.until("Hunan's events", Duration.ofSeconds(20), () -> hunan.received.size() >= 2);
        Thread.sleep(500);
        assertEquals(2, hunan.received.size(), "only Hunan's events: " + hunan.ids());
        assertTrue(hunan.ids().contains(hunanOnly));
        resumed.disconnect();
        hunan.disconnect();
    }

    @Test
    void onlyProvincialSystemsSubscribeAndABadCursorIsNamed() {
        StreamRecorder officer = new StreamRecorder();
        GrpcAuth.bearer(SubscriptionServiceGrpc.newStub(channel), RealmTokens.user("jx-enforcement-officer"))
                .subscribe(SubscribeRequest.getDefaultInstance(), officer);
        Await.until("the refusal", Duration.ofSeconds(10), () -> officer.error != null);
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(officer.error).getCode());

        StreamRecorder anonymous = new StreamRecorder();
        SubscriptionServiceGrpc.newStub(channel).subscribe(SubscribeRequest.getDefaultInstance(), anonymous);
        Await.until("the refusal", Duration.ofSeconds(10), () -> anonymous.error != null);
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(anonymous.error).getCode());

        StreamRecorder badCursor = subscribe("province-360000-system", "not-a-cursor");
        Await.until("the refusal", Duration.ofSeconds(10), () -> badCursor.error != null);
        StatusRuntimeException e = (StatusRuntimeException) badCursor.error;
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("cursor"), StatusDetails.badFields(e));
    }
}
