package org.exportcontrol.faults;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.ChainEventServiceGrpc;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.EventResult;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.api.reporting.v1.Extracted;
import org.exportcontrol.api.reporting.v1.GetLotRequest;
import org.exportcontrol.api.reporting.v1.Lot;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.LotStatus;
import org.exportcontrol.api.reporting.v1.Processed;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.api.reporting.v1.Received;
import org.exportcontrol.api.reporting.v1.Shipped;
import org.exportcontrol.api.reporting.v1.TraceLotRequest;
import org.exportcontrol.api.reporting.v1.TraceLotResponse;
import org.exportcontrol.api.reporting.v1.TraceStep;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GreenMailApi;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Four faults on the whole platform, started once (docs/reliability.md#faults): provincial reporting
 * killed in the middle of a provincial system's stream, notification killed during a burst of
 * alerts, PostgreSQL restarted under load, Keycloak stopped. Each is injected through the run
 * scripts and judged through public interfaces only: acknowledgements and lot traces over gRPC as
 * the provincial system, inboxes through the gateway, e-mails in the SMTP sink, readiness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    static final String JIANGXI = "360000";
    static final String SYSTEM = "province-360000-system";
    static final String EXPORTER = "91360700MA0DEM013P"; // Ganzhou Rare Earth Trading Co. (demo)
    static final String DEMO_MAIL = "@demo.exportcontrol.invalid";
    static final List<String> JX_OFFICERS = List.of("jx-enforcement-officer", "jx-enforcement-officer2");
    static final Duration ASYNC = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    /** This run's ids: lots, shipments, declarations and events never collide with another run's. */
    final String run = "F" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    final Map<String, String> figures = new LinkedHashMap<>();
    final ExecutorService background = Executors.newCachedThreadPool();
    ManagedChannel reporting;

    @BeforeAll
    void startThePlatform() throws Exception {
        long t0 = System.nanoTime();
        FaultPlatform.start();
        figures.put("platform start (s)", String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        RestAssured.baseURI = FaultPlatform.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        reporting = ManagedChannelBuilder.forAddress("127.0.0.1", 8082).usePlaintext().build();
    }

    @AfterAll
    void stopThePlatform() throws Exception {
        try {
            background.shutdownNow();
            if (reporting != null) {
                reporting.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            String text = figures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n"));
            System.out.println("[faults] figures of this run:\n" + text);
            Files.writeString(FaultPlatform.WORK.resolve("fault-figures.txt"), text);
        } finally {
            FaultPlatform.stop();
        }
    }

    // ------------------------------------------------------------------ 1. kill -9 mid-stream

    @Test
    @Order(1)
    void provincialReportingKilledInTheMiddleOfAStreamLosesNothingAcknowledged() throws Exception {
        List<ChainEvent> events = custodyChains("K", 300);
        Background stream = streamUntilAQuarterIsAcknowledged(events, "before the kill");
        FaultPlatform.kill("provincial-reporting");
        int ackedAtKill = stream.acked().get();
        double restart = FaultPlatform.startService("provincial-reporting");
        ResumingStream.Outcome outcome = stream.outcome().get(180, TimeUnit.SECONDS);

        assertTrue(ackedAtKill < events.size(), "the kill landed in the middle of the stream (" + ackedAtKill + " of "
                + events.size() + " acknowledged)");
        assertTrue(outcome.breaks() >= 1, "the client saw its stream break");
        int stored = assertAcknowledgedAndStoredOnce(events, outcome);
        figures.put("kill -9 provincial-reporting: events sent", String.valueOf(events.size()));
        figures.put("kill -9 provincial-reporting: acknowledged before the kill", String.valueOf(ackedAtKill));
        figures.put("kill -9 provincial-reporting: stream breaks / events resent", outcome.breaks() + " / " + outcome.resentEvents());
        figures.put("kill -9 provincial-reporting: acknowledged ACCEPTED / DUPLICATE on resume",
                outcome.count(EventResult.EVENT_RESULT_ACCEPTED) + " / " + outcome.count(EventResult.EVENT_RESULT_DUPLICATE));
        figures.put("kill -9 provincial-reporting: stored once / lost", stored + " / " + (events.size() - stored));
        figures.put("kill -9 provincial-reporting: restart until ready (s)", String.format("%.1f", restart));
    }

    /** A provincial system's resuming stream running in the background, and how many events it has had acknowledged. */
    record Background(Future<ResumingStream.Outcome> outcome, AtomicInteger acked) {
    }

    /** Starts streaming {@code events} (10 per message) and returns once a quarter are acknowledged: the moment of the fault. */
    private Background streamUntilAQuarterIsAcknowledged(List<ChainEvent> events, String moment) throws InterruptedException {
        AtomicInteger acked = new AtomicInteger();
        CountDownLatch quarter = new CountDownLatch(1);
        Future<ResumingStream.Outcome> outcome = background.submit(() -> new ResumingStream(reporting, SYSTEM)
                .send(ResumingStream.messages(events, 10), 2, Duration.ofMillis(40), Duration.ofSeconds(150), n -> {
                    acked.set(n);
                    if (n >= events.size() / 4) {
                        quarter.countDown();
                    }
                }));
        assertTrue(quarter.await(60, TimeUnit.SECONDS), "a quarter of the stream acknowledged " + moment);
        return new Background(outcome, acked);
    }

    // ------------------------------------------------------------------ 2. notification killed during a burst

    @Test
    @Order(2)
    void notificationKilledDuringABurstOfAlertsDeliversEachNotificationOnce() throws Exception {
        int n = 12;
        String ore = lot("NORE");
        List<String> oxides = new ArrayList<>();
        List<String> declarations = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            oxides.add(lot(String.format("NOX%02d", i)));
            declarations.add(JIANGXI + "-" + run + String.format("-ND%02d", i));
        }
        Clock at = new Clock(Instant.now().minus(30, ChronoUnit.MINUTES));
        List<ChainEvent> prepare = new ArrayList<>();
        prepare.add(event("N-ORE-E", "360000-MINE-001", at.next()).setExtracted(Extracted.newBuilder().setLotId(ore)
                .setMaterial("ionic rare earth concentrate (mixed carbonate)").setQuantity(kg("20000"))).build());
        prepare.addAll(shipAndReceive("N-ORE", "360000-MINE-001", "360000-SEP-001", ore, "20000", at));
        Processed.Builder separated = Processed.newBuilder()
                .addInputs(LotQuantity.newBuilder().setLotId(ore).setQuantity(kg("20000")));
        for (String oxide : oxides) {
            separated.addOutputs(ProducedLot.newBuilder().setLotId(oxide).setMaterial("dysprosium oxide").setItemCode("1C905")
                    .setQuantity(kg("1000")));
        }
        separated.addOutputs(ProducedLot.newBuilder().setLotId(lot("NREST")).setMaterial("yttrium and lanthanum-cerium oxides")
                .setItemCode("1C908").setQuantity(kg(String.valueOf(19800 - 1000 * n))));
        prepare.add(event("N-SEP", "360000-SEP-001", at.next()).setProcessed(separated).build());
        for (int i = 0; i < n; i++) {
            prepare.addAll(shipAndReceive("N-OX" + i, "360000-SEP-001", "360000-PORT-001", oxides.get(i), "1000", at));
        }
        ResumingStream.Outcome prepared = stream(prepare);
        assertEquals(prepare.size(), outcomeCount(prepared, EventResult.EVENT_RESULT_ACCEPTED), "the chain is accepted: " + prepared.acks());

        // a licence number in the platform's format that was never issued: one UNLICENSED_EXPORT alert each
        String licence = "EL-" + JIANGXI + "-" + Instant.now().atZone(ZoneId.of("Asia/Shanghai")).getYear() + "-000000";
        List<ChainEvent> declared = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            declared.add(event("N-D" + i, "360000-PORT-001", at.next()).setExportDeclared(ExportDeclared.newBuilder()
                    .setDeclarationId(declarations.get(i)).setLicenceNumber(licence).setExporterCreditCode(EXPORTER)
                    .setLotId(oxides.get(i)).setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2846901993"))
                    .setQuantity(kg("1000")).setDestinationCountryCode("OM")
                    .setUnitPrice(Money.newBuilder().setAmount("230.00").setCurrencyCode("USD"))).build());
        }
        // the burst's first third, then notification is killed as soon as it has delivered one of them
        List<ChainEvent> first = declared.subList(0, n / 3);
        ResumingStream.Outcome before = stream(first);
        assertEquals(first.size(), outcomeCount(before, EventResult.EVENT_RESULT_ACCEPTED), "declarations accepted: " + before.acks());
        Await.until("a first alert in jx-enforcement-officer's inbox", ASYNC,
                () -> inbox("jx-enforcement-officer").stream().anyMatch(i -> declarations.stream()
                        .anyMatch(d -> String.valueOf(i.get("title")).endsWith(": " + d))));
        FaultPlatform.kill("notification");
        long killedAt = System.currentTimeMillis();
        ResumingStream.Outcome after = stream(declared.subList(n / 3, n));
        assertEquals(n - first.size(), outcomeCount(after, EventResult.EVENT_RESULT_ACCEPTED), "declarations accepted: " + after.acks());
        // enforcement raises the alerts and its outbox keeps failing to reach notification for a while
        Thread.sleep(Math.max(0, 4_000 - (System.currentTimeMillis() - killedAt)));
        double restart = FaultPlatform.startService("notification");

        Map<String, String> alertOf = new HashMap<>(); // declaration -> alert id
        Await.until("an UNLICENSED_EXPORT alert on each of the " + n + " declarations", ASYNC, () -> {
            for (Map<String, Object> a : alerts()) {
                Object subject = ((Map<?, ?>) a.get("subject")).get("id");
                if ("UNLICENSED_EXPORT".equals(a.get("ruleCode")) && declarations.contains(String.valueOf(subject))) {
                    alertOf.put(String.valueOf(subject), String.valueOf(a.get("id")));
                }
            }
            return alertOf.size() == n;
        });
        List<String> links = declarations.stream().map(d -> "/alerts/" + alertOf.get(d)).toList();
        for (String officer : JX_OFFICERS) {
            Await.until(officer + "'s inbox items for all " + n + " alerts", ASYNC,
                    () -> inbox(officer).stream().map(i -> i.get("link")).filter(links::contains).distinct().count() == n);
            Await.until(officer + "'s e-mails for all " + n + " alerts", ASYNC,
                    () -> emailsPerDeclaration(officer, declarations).size() == n);
        }
        // a late retry would show as a second copy: give it time, then count exactly
        Thread.sleep(5_000);
        int inboxDelivered = 0;
        int inboxDuplicated = 0;
        int mailDelivered = 0;
        int mailDuplicated = 0;
        for (String officer : JX_OFFICERS) {
            Map<Object, Long> perLink = inbox(officer).stream().filter(i -> links.contains(i.get("link")))
                    .collect(Collectors.groupingBy(i -> i.get("link"), Collectors.counting()));
            Map<String, Long> perDeclaration = emailsPerDeclaration(officer, declarations);
            inboxDelivered += perLink.size();
            inboxDuplicated += perLink.values().stream().mapToLong(c -> c - 1).sum();
            mailDelivered += perDeclaration.size();
            mailDuplicated += perDeclaration.values().stream().mapToLong(c -> c - 1).sum();
            for (String link : links) {
                assertEquals(1L, perLink.getOrDefault(link, 0L), officer + " has exactly one inbox item for " + link);
            }
            for (String d : declarations) {
                assertEquals(1L, perDeclaration.getOrDefault(d, 0L), officer + " has exactly one e-mail on " + d);
            }
        }
        // and no one outside Jiangxi is told
        assertTrue(inbox("hn-enforcement-officer").stream().noneMatch(i -> links.contains(i.get("link"))),
                "Hunan's enforcement officer is not told of Jiangxi's alerts");
        assertTrue(emailsPerDeclaration("hn-enforcement-officer", declarations).isEmpty(), "nor e-mailed");

        int expected = n * JX_OFFICERS.size();
        figures.put("notification killed: alerts raised during the burst", String.valueOf(n));
        figures.put("notification killed: inbox items expected / delivered / duplicated",
                expected + " / " + inboxDelivered + " / " + inboxDuplicated);
        figures.put("notification killed: e-mails expected / delivered / duplicated",
                expected + " / " + mailDelivered + " / " + mailDuplicated);
        figures.put("notification killed: restart until ready (s)", String.format("%.1f", restart));
    }

    // ------------------------------------------------------------------ 3. PostgreSQL restarted under load

    @Test
    @Order(3)
    void postgresRestartedUnderLoadServicesTurnNotReadyThenReadyAndNothingAcknowledgedIsLost() throws Exception {
        List<Readiness> readiness = new ArrayList<>();
        FaultPlatform.PORTS.forEach((service, port) -> readiness.add(new Readiness(service, port)));
        try {
            Await.until("every service ready before the restart", ASYNC, () -> readiness.stream().allMatch(Readiness::upNow));
            List<ChainEvent> events = custodyChains("P", 300);
            Background stream = streamUntilAQuarterIsAcknowledged(events, "before the restart");
            long restartedAt = System.currentTimeMillis();
            int ackedAtRestart = stream.acked().get();
            double restart;
            try {
                restart = FaultPlatform.restartPostgres();
            } finally {
                // the PostgreSQL is shared: whatever happened, it runs again
                FaultPlatform.ensurePostgres();
            }
            ResumingStream.Outcome outcome = stream.outcome().get(180, TimeUnit.SECONDS);
            Await.until("every service ready again after the restart", ASYNC, () -> readiness.stream().allMatch(Readiness::upNow));
            for (Readiness r : readiness) {
                assertTrue(r.wentDownAfter(restartedAt), r.service + "'s readiness turned DOWN during the restart: " + r.changes);
            }
            assertTrue(ackedAtRestart < events.size(), "the restart landed in the middle of the stream");
            int stored = assertAcknowledgedAndStoredOnce(events, outcome);
            figures.put("PostgreSQL restart: events sent", String.valueOf(events.size()));
            figures.put("PostgreSQL restart: acknowledged before the restart", String.valueOf(ackedAtRestart));
            figures.put("PostgreSQL restart: stream breaks / events resent", outcome.breaks() + " / " + outcome.resentEvents());
            figures.put("PostgreSQL restart: stored once / lost", stored + " / " + (events.size() - stored));
            figures.put("PostgreSQL restart: pg restart (s)", String.format("%.1f", restart));
            figures.put("PostgreSQL restart: not ready (ms) per service", readiness.stream()
                    .map(r -> r.service + " " + r.downFor(restartedAt)).collect(Collectors.joining(", ")));
        } finally {
            for (Readiness r : readiness) {
                r.close();
            }
        }
    }

    // ------------------------------------------------------------------ 4. Keycloak stopped

    @Test
    @Order(4)
    void keycloakStoppedIssuedTokensWorkUntilTheyExpireAndNewLoginsFailClearly() throws Exception {
        String officer = RealmTokens.user("jx-enforcement-officer");
        String system = RealmTokens.client(SYSTEM);
        String shortLived = shortLivedToken("nat-coordinator", 30);
        long shortLivedExpires = RealmTokens.claims(shortLived).get("exp").asLong() * 1000;
        String someLot = lot("KL1");
        double stop;
        double start;
        long gatewayPageMillis;
        try {
            stop = FaultPlatform.keycloak("stop");
            assertTrue(System.currentTimeMillis() < shortLivedExpires - 2_000, "the short-lived token is still fresh");

            // tokens issued before: the gateway and the services verify them against the keys they hold
            bearer(shortLived).get("/api/v1/me").then().statusCode(200);
            bearer(officer).get("/api/v1/me").then().statusCode(200);
            // enforcement verifies it too (no-cache: not a page the gateway kept)
            bearer(officer).header("Cache-Control", "no-cache").get("/api/v1/alerts?pageSize=5").then().statusCode(200);
            bearer(officer).get("/api/v1/inbox?pageSize=5").then().statusCode(200); // and notification
            Lot lot = GrpcAuth.bearer(ChainEventServiceGrpc.newBlockingStub(reporting), system)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getLot(GetLotRequest.newBuilder().setLotId(someLot).build()).getLot();
            assertEquals(someLot, lot.getLotId(), "the provincial system reads with its token");

            // new logins fail: the token request itself, and the gateway's sign-in says why
            assertThrows(java.io.IOException.class, () -> passwordGrant("jx-enforcement-officer"),
                    "no token is issued while Keycloak is down");
            long t0 = System.currentTimeMillis();
            Response page = given().redirects().follow(false).accept(ContentType.HTML).get("/");
            gatewayPageMillis = System.currentTimeMillis() - t0;
            assertEquals(503, page.statusCode(), "the sign-in page answers 503: " + page.asString());
            assertTrue(page.contentType().startsWith("text/html"), page.contentType());
            assertTrue(page.asString().contains("identity provider is unavailable"), page.asString());
            assertTrue(page.header("Retry-After") != null, "with Retry-After");
            // the API without a token: the usual 401, no wait on Keycloak
            given().accept(ContentType.JSON).get("/api/v1/me").then().statusCode(401)
                    .contentType("application/problem+json");

            // until they expire: then the same token is refused, clearly, not a 500
            long wait = shortLivedExpires - System.currentTimeMillis() + 1_500;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            bearer(shortLived).get("/api/v1/me").then().statusCode(401).contentType("application/problem+json")
                    .body("reason", org.hamcrest.Matchers.equalTo("UNAUTHENTICATED"));
        } finally {
            // a Keycloak must run again whatever happened (the realm is imported anew, with new keys)
            start = FaultPlatform.keycloak("start");
        }
        // after it is back: a new login works, with its new keys, at the gateway and the services
        String fresh = passwordGrant("jx-enforcement-officer");
        Await.until("the gateway to accept a token signed by Keycloak's new key", Duration.ofSeconds(30),
                () -> bearer(fresh).get("/api/v1/alerts?pageSize=5").statusCode() == 200);
        assertEquals(302, given().redirects().follow(false).accept(ContentType.HTML).get("/").statusCode(),
                "the sign-in redirects to Keycloak again");
        figures.put("Keycloak stopped: keycloak.sh stop / start (s)", String.format("%.1f / %.1f", stop, start));
        figures.put("Keycloak stopped: gateway sign-in answer while down (ms)", String.valueOf(gatewayPageMillis));
    }

    // ------------------------------------------------------------------ checks

    /**
     * Every event acknowledged (accepted, or a duplicate of one stored before the break), none
     * rejected; then everything sent again on a new stream: every event is a duplicate of the very
     * record first acknowledged; and each lot's trace holds each of its events exactly once.
     * Returns the number of events found stored exactly once.
     */
    int assertAcknowledgedAndStoredOnce(List<ChainEvent> events, ResumingStream.Outcome outcome) throws Exception {
        assertEquals(events.size(), outcome.acks().size(), "every event acknowledged");
        for (EventAck ack : outcome.acks().values()) {
            assertTrue(ack.getResult() == EventResult.EVENT_RESULT_ACCEPTED || ack.getResult() == EventResult.EVENT_RESULT_DUPLICATE,
                    "accepted, or a duplicate of an event stored before the break: " + ack);
        }
        ResumingStream.Outcome replay = stream(events);
        for (ChainEvent e : events) {
            EventAck first = outcome.acks().get(e.getEventId());
            EventAck again = replay.acks().get(e.getEventId());
            assertEquals(EventResult.EVENT_RESULT_DUPLICATE, again.getResult(), "sent again, " + e.getEventId() + " is a duplicate");
            assertEquals(first.getRecordId(), again.getRecordId(), "of the record first acknowledged for " + e.getEventId());
        }
        Map<String, List<ChainEvent>> byLot = new LinkedHashMap<>();
        for (ChainEvent e : events) {
            String lotId = e.hasExtracted() ? e.getExtracted().getLotId() : e.hasShipped() ? e.getShipped().getLotId() : null;
            if (lotId == null) {
                // a receipt belongs to the lot of its shipment, the event before it
                ChainEvent shipped = events.get(events.indexOf(e) - 1);
                lotId = shipped.getShipped().getLotId();
            }
            byLot.computeIfAbsent(lotId, k -> new ArrayList<>()).add(e);
        }
        var reads = GrpcAuth.bearer(ChainEventServiceGrpc.newBlockingStub(reporting), RealmTokens.client(SYSTEM));
        int stored = 0;
        for (Map.Entry<String, List<ChainEvent>> entry : byLot.entrySet()) {
            TraceLotResponse trace = reads.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .traceLot(TraceLotRequest.newBuilder().setLotId(entry.getKey()).build());
            Map<String, List<TraceStep>> steps = trace.getStepsList().stream().collect(Collectors.groupingBy(TraceStep::getEventId));
            for (ChainEvent e : entry.getValue()) {
                List<TraceStep> found = steps.getOrDefault(e.getEventId(), List.of());
                assertEquals(1, found.size(), e.getEventId() + " is in the trace of " + entry.getKey() + " exactly once");
                assertEquals(outcome.acks().get(e.getEventId()).getRecordId(), found.get(0).getRecordId());
                stored++;
            }
            Lot lot = trace.getLotsList().stream().filter(l -> l.getLotId().equals(entry.getKey())).findFirst().orElseThrow();
            assertEquals(LotStatus.LOT_STATUS_HELD, lot.getStatus(), "received: " + lot);
            assertEquals("360000-SEP-001", lot.getFacilityId(), "at the separation plant: " + lot);
            assertEquals(0, new java.math.BigDecimal("10").compareTo(new java.math.BigDecimal(lot.getRemaining().getValue())),
                    "its quantity counted once: " + lot);
        }
        return stored;
    }

    // ------------------------------------------------------------------ helpers

    ResumingStream.Outcome stream(List<ChainEvent> events) throws InterruptedException {
        return new ResumingStream(reporting, SYSTEM).send(ResumingStream.messages(events, 50), 4, Duration.ZERO,
                Duration.ofSeconds(60), n -> {
                });
    }

    static long outcomeCount(ResumingStream.Outcome o, EventResult result) {
        return o.count(result);
    }

    /** Chains of custody, three events each: a lot extracted at the mine, shipped to the separation plant, received. */
    List<ChainEvent> custodyChains(String tag, int count) {
        Clock at = new Clock(Instant.now().minus(50, ChronoUnit.MINUTES));
        List<ChainEvent> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String lot = lot(tag + "L" + i);
            events.add(event(tag + i + "-E", "360000-MINE-001", at.next()).setExtracted(Extracted.newBuilder().setLotId(lot)
                    .setMaterial("ionic rare earth concentrate (mixed carbonate)").setQuantity(kg("10"))).build());
            events.addAll(shipAndReceive(tag + i, "360000-MINE-001", "360000-SEP-001", lot, "10", at));
        }
        return events;
    }

    /** Event times one second apart, from a point in the past: never in the future, in order per lot. */
    static final class Clock {
        private Instant at;

        Clock(Instant from) {
            at = from.truncatedTo(ChronoUnit.SECONDS);
        }

        Instant next() {
            at = at.plusSeconds(1);
            return at;
        }
    }

    String lot(String local) {
        return JIANGXI + "-" + run + "-" + local;
    }

    ChainEvent.Builder event(String id, String facility, Instant at) {
        return ChainEvent.newBuilder().setEventId(run + "-" + id).setFacilityId(facility)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()));
    }

    List<ChainEvent> shipAndReceive(String id, String from, String to, String lot, String kg, Clock clock) {
        String shipment = JIANGXI + "-" + run + "-S" + id;
        Instant shippedAt = clock.next();
        return List.of(
                event(id + "-S", from, shippedAt).setShipped(Shipped.newBuilder().setShipmentId(shipment).setLotId(lot)
                        .setQuantity(kg(kg)).setToFacilityId(to).setCarrier("Ganzhou Logistics (demo)").setVehicle("TRUCK-" + id)
                        .setSeal("SEAL-" + run + id).setExpectedArrival(Timestamp.newBuilder()
                                .setSeconds(shippedAt.plus(6, ChronoUnit.HOURS).getEpochSecond()))).build(),
                event(id + "-R", to, clock.next()).setReceived(Received.newBuilder().setShipmentId(shipment)
                        .setWeighedQuantity(kg(kg))).build());
    }

    static Quantity kg(String value) {
        return Quantity.newBuilder().setValue(value).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO).build();
    }

    static io.restassured.specification.RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).accept(ContentType.JSON);
    }

    /** Jiangxi's alerts as its enforcement officer lists them. */
    static List<Map<String, Object>> alerts() {
        List<Map<String, Object>> alerts = bearer(RealmTokens.user("jx-enforcement-officer")).get("/api/v1/alerts?pageSize=500")
                .then().statusCode(200).extract().jsonPath().getList("alerts");
        return alerts == null ? List.of() : alerts;
    }

    /** A person's inbox through the gateway: the notifications (title, category, link, priority ...). */
    static List<Map<String, Object>> inbox(String user) {
        List<Map<String, Object>> items = bearer(RealmTokens.user(user)).get("/api/v1/inbox?pageSize=500")
                .then().statusCode(200).extract().jsonPath().getList("items.notification");
        return items == null ? List.of() : items;
    }

    /** How many e-mails a person received about each declaration (its alert's subject ends with the declaration id). */
    static Map<String, Long> emailsPerDeclaration(String user, List<String> declarations) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map<String, Object> m : GreenMailApi.messages(FaultPlatform.MAIL_API, user + DEMO_MAIL)) {
            String subject = String.valueOf(m.get("subject"));
            for (String d : declarations) {
                if (subject.endsWith(": " + d)) {
                    counts.merge(d, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** A new login: the password grant through the demo client, bypassing the token cache. */
    static String passwordGrant(String user) throws Exception {
        String form = "grant_type=password&client_id=demo-cli&scope=openid&username=" + user + "&password="
                + URLEncoder.encode(System.getenv("EC_DEMO_USER_PASSWORD"), StandardCharsets.UTF_8);
        HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(RealmTokens.issuer() + "/protocol/openid-connect/token"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    /**
     * A real token that lives {@code seconds}: a public client of this run (created through the
     * Keycloak admin API with the gateway's service account, which may manage clients) with that
     * access-token lifespan.
     */
    String shortLivedToken(String user, int seconds) throws Exception {
        String clientId = "faults-short-lived-" + run.toLowerCase();
        HttpClient http = HttpClient.newHttpClient();
        String client = JSON.writeValueAsString(Map.of("clientId", clientId, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "defaultClientScopes", List.of("basic", "roles", "chain-claims"),
                "attributes", Map.of("access.token.lifespan", String.valueOf(seconds))));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(RealmTokens.keycloakUrl() + "/admin/realms/"
                + RealmTokens.REALM + "/clients")).header("Authorization", "Bearer " + RealmTokens.client("gateway"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(client)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String form = "grant_type=password&client_id=" + clientId + "&username=" + user + "&password="
                + URLEncoder.encode(System.getenv("EC_DEMO_USER_PASSWORD"), StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(RealmTokens.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        String token = JSON.readTree(answer.body()).get("access_token").asText();
        assertFalse(token.isBlank());
        return token;
    }
}
