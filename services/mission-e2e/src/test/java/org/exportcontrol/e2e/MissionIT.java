package org.exportcontrol.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.exportcontrol.api.common.v1.ItemRef;
import org.exportcontrol.api.common.v1.Money;
import org.exportcontrol.api.common.v1.Quantity;
import org.exportcontrol.api.common.v1.QuantityUnit;
import org.exportcontrol.api.notification.v1.Notification;
import org.exportcontrol.api.reporting.v1.ChainEvent;
import org.exportcontrol.api.reporting.v1.EventAck;
import org.exportcontrol.api.reporting.v1.EventResult;
import org.exportcontrol.api.reporting.v1.ExportDeclared;
import org.exportcontrol.api.reporting.v1.Exported;
import org.exportcontrol.api.reporting.v1.Extracted;
import org.exportcontrol.api.reporting.v1.LotQuantity;
import org.exportcontrol.api.reporting.v1.Processed;
import org.exportcontrol.api.reporting.v1.ProducedLot;
import org.exportcontrol.api.reporting.v1.Received;
import org.exportcontrol.api.reporting.v1.Shipped;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GreenMailApi;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import com.google.protobuf.Timestamp;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The mission, end to end, on the whole platform as {@code deploy/local/platform.sh start} runs it,
 * through public interfaces only: the gateway's REST API with real user tokens, gRPC as a
 * provincial system with its service account, the web UI in a real browser, and the e-mail sink's
 * API. Each step builds on the one before (docs/e2e.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(MissionIT.StepByStep.class)
class MissionIT {

    /** Each step needs the one before: after a failure the later steps are skipped, not timed out one by one. */
    static final class StepByStep implements TestWatcher, ExecutionCondition {
        static volatile String failed;

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = failed != null ? failed : context.getDisplayName();
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod().isPresent() && failed != null
                    ? ConditionEvaluationResult.disabled("an earlier step failed: " + failed)
                    : ConditionEvaluationResult.enabled("no step failed so far");
        }
    }

    static final String JIANGXI = "360000";
    static final String EXPORTER = "91360700MA0DEM013P"; // Ganzhou Rare Earth Trading Co. (demo), user jx-exporter
    static final String DEMO_MAIL = "@demo.exportcontrol.invalid";
    static final Duration ASYNC = Duration.ofSeconds(45);

    /** This run's ids: lots, shipments, declarations and events never collide with another run's. */
    final String run = "E2E" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    final ProvincialSystem jiangxi = new ProvincialSystem(JIANGXI);
    final ProvincialSystem hunan = new ProvincialSystem("430000");

    String applicationId;
    String licenceNumber;
    String overDeclaration;
    String transshipDeclaration;
    EventAck overDeclaredAck;
    EventAck transshipDeclaredAck;
    EventAck transshipExportedAck;
    String overLicenceAlert;
    String transshipmentAlert;
    String caseId;
    String caseTitle;
    int ruleVersion;

    @BeforeAll
    void startThePlatform() throws Exception {
        Platform.start();
        RestAssured.baseURI = Platform.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    void stopThePlatform() throws Exception {
        try {
            jiangxi.close();
            hunan.close();
        } finally {
            Platform.stop();
        }
    }

    static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + RealmTokens.user(user)).accept(ContentType.JSON);
    }

    /** A change through the API: JSON body, a fresh Idempotency-Key, 200 expected. */
    static JsonPath post(String user, String path, Map<String, ?> body) {
        return as(user).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body).when().post("/api/v1" + path).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath get(String user, String path) {
        return as(user).when().get("/api/v1" + path).then().statusCode(200).extract().jsonPath();
    }

    // ------------------------------------------------------------------------------ 1. licence

    @Test
    @Order(1)
    void anExportersApplicationIsReviewedProvinciallyAndNationallyAndIssued() {
        // both provincial systems subscribe before anything happens, as they would in production
        jiangxi.subscribe();
        hunan.subscribe();

        Map<String, Object> content = Map.ofEntries(
                Map.entry("licenceType", "LICENCE_TYPE_SINGLE"),
                Map.entry("exporterCreditCode", EXPORTER),
                Map.entry("lines", List.of(Map.of(
                        "item", Map.of("itemCode", "1C905", "tariffCode", "2846901993"),
                        "quantity", Map.of("value", "2000", "unit", "QUANTITY_UNIT_KILOGRAM_REO"),
                        "value", Map.of("amount", "460000.00", "currencyCode", "USD")))),
                Map.entry("consignee", Map.of("name", "Sohar Free Zone Metals Trading LLC (demo)", "countryCode", "OM")),
                Map.entry("endUser", Map.of("name", "Sohar Free Zone Metals Trading LLC (demo)", "countryCode", "OM")),
                Map.entry("endUse", "stock for resale to magnet makers in Oman"),
                Map.entry("destinationCountryCode", "OM"),
                Map.entry("contractNumber", run + "-OM"),
                Map.entry("contractDate", Map.of("year", 2026, "month", 1, "day", 20)),
                Map.entry("customsPort", "Ganzhou"),
                Map.entry("transportMode", "TRANSPORT_MODE_RAIL"),
                Map.entry("documents", List.of(Map.of("kind", "end-user-certificate", "name", "EUC Sohar " + run + ".pdf",
                        "sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))));
        applicationId = post("jx-exporter", "/applications", Map.of("content", content)).getString("application.id");
        assertEquals("APPLICATION_STATE_PROVINCIAL_REVIEW",
                post("jx-exporter", "/applications/" + applicationId + "/submit", Map.of()).getString("application.state"));

        // Jiangxi commerce reviews; a Hunan officer may not even read it
        as("hn-licensing-officer").when().get("/api/v1/applications/" + applicationId).then().statusCode(403)
                .body("reason", org.hamcrest.Matchers.equalTo("OUTSIDE_JURISDICTION"));
        JsonPath reviewed = post("jx-licensing-officer", "/applications/" + applicationId + "/provincial-review",
                Map.of("decision", "DECISION_APPROVE", "reasons", "contract and end-user statement checked (e2e)"));
        assertEquals("APPLICATION_STATE_NATIONAL_REVIEW", reviewed.getString("application.state"));
        assertEquals("jx-licensing-officer", reviewed.getString("application.provincialReviewer"));

        // national review: customs consulted and advising, then the reviewer decides
        post("nat-licensing-officer", "/applications/" + applicationId + "/consultations",
                Map.of("departments", List.of("DEPARTMENT_CUSTOMS")));
        post("nat-customs-officer", "/applications/" + applicationId + "/advice",
                Map.of("advice", "ADVICE_APPROVE", "reasons", "no customs objection (e2e)"));
        JsonPath decided = post("nat-licensing-reviewer", "/applications/" + applicationId + "/decision",
                Map.of("decision", "DECISION_APPROVE", "reasons", "approved for the declared end use (e2e)"));
        assertEquals("APPLICATION_STATE_APPROVED", decided.getString("application.state"));
        assertEquals("nat-licensing-reviewer", decided.getString("application.decidedBy"));
        licenceNumber = decided.getString("application.licenceNumber");
        assertTrue(licenceNumber != null && licenceNumber.startsWith("EL-" + JIANGXI + "-"), "a licence number: " + licenceNumber);

        // the exporter sees the licence with its full balance
        JsonPath licence = get("jx-exporter", "/licences/" + licenceNumber);
        assertEquals("LICENCE_STATUS_ISSUED", licence.getString("licence.status"));
        assertEquals("OM", licence.getString("licence.destinationCountryCode"));
        assertEquals("2000", licence.getString("licence.lines[0].remaining.value"));
    }

    @Test
    @Order(2)
    void theExporterIsToldOfTheDecisionInTheInboxAndByEmail() {
        String link = "/applications/" + applicationId;
        Await.until("jx-exporter's inbox item for the decision on " + applicationId, ASYNC,
                () -> inbox("jx-exporter").stream().anyMatch(i -> link.equals(i.get("link"))));
        Await.until("the decision e-mail to jx-exporter" + DEMO_MAIL, ASYNC,
                () -> GreenMailApi.messages(Platform.MAIL_API, "jx-exporter" + DEMO_MAIL).stream()
                        .anyMatch(m -> String.valueOf(m.get("mimeMessage")).contains(applicationId)));
        assertTrue(GreenMailApi.messages(Platform.MAIL_API, "hn-exporter" + DEMO_MAIL).stream()
                .noneMatch(m -> String.valueOf(m.get("mimeMessage")).contains(applicationId)),
                "another enterprise's exporter is not told");
    }

    // ------------------------------------------------------------------------------ 2. chain

    @Test
    @Order(3)
    void aProvincialSystemStreamsAChainFromMineToExport() throws Exception {
        String ore = lot("L1"), overLot = lot("L2"), omanLot = lot("L3"), rest = lot("L4");
        overDeclaration = JIANGXI + "-" + run + "-D1";
        transshipDeclaration = JIANGXI + "-" + run + "-D2";
        Instant t = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        List<ChainEvent> events = new ArrayList<>();
        Supplier<Instant> next = new Supplier<>() {
            Instant at = t;

            @Override
            public Instant get() {
                at = at.plusSeconds(60);
                return at;
            }
        };
        events.add(event("01", "360000-MINE-001", next.get()).setExtracted(Extracted.newBuilder().setLotId(ore)
                .setMaterial("ionic rare earth concentrate (mixed carbonate)").setQuantity(kg("20000"))).build());
        events.addAll(shipAndReceive("02", "360000-MINE-001", "360000-SEP-001", ore, "20000", next));
        events.add(event("04", "360000-SEP-001", next.get()).setProcessed(Processed.newBuilder()
                .addInputs(LotQuantity.newBuilder().setLotId(ore).setQuantity(kg("20000")))
                .addOutputs(produced(overLot, "dysprosium oxide", "1C905", "2500"))
                .addOutputs(produced(omanLot, "dysprosium oxide", "1C905", "1500"))
                .addOutputs(produced(rest, "yttrium and lanthanum-cerium oxides", "1C908", "15800"))).build());
        events.addAll(shipAndReceive("05", "360000-SEP-001", "360000-PORT-001", overLot, "2500", next));
        events.addAll(shipAndReceive("07", "360000-SEP-001", "360000-PORT-001", omanLot, "1500", next));
        // 2,500 kg declared under a licence of 2,000 kg, and exported anyway
        events.add(event("09", "360000-PORT-001", next.get()).setExportDeclared(declared(overDeclaration, overLot, "2500")).build());
        events.add(event("10", "360000-PORT-001", next.get()).setExported(exported(overDeclaration, overLot, "2500", "OM")).build());
        // 1,500 kg declared for Oman under the licence, carried to India
        events.add(event("11", "360000-PORT-001", next.get()).setExportDeclared(declared(transshipDeclaration, omanLot, "1500")).build());
        events.add(event("12", "360000-PORT-001", next.get()).setExported(exported(transshipDeclaration, omanLot, "1500", "IN")).build());

        List<EventAck> acks = jiangxi.stream(events);
        assertEquals(events.size(), acks.size(), "one acknowledgement per event");
        for (EventAck ack : acks) {
            assertEquals(EventResult.EVENT_RESULT_ACCEPTED, ack.getResult(), "accepted: " + ack);
        }
        overDeclaredAck = acks.get(8);
        transshipDeclaredAck = acks.get(10);
        transshipExportedAck = acks.get(11);
        assertEquals("LICENCE_BALANCE_EXCEEDED", overDeclaredAck.getLicenceAnswer(), "licensing refused the 2,500 kg");
        assertEquals("ACCEPTED", transshipDeclaredAck.getLicenceAnswer(), "licensing took the 1,500 kg off the licence");

        // what people see through the gateway: the balance used, and the lot's trace from mine to export
        assertEquals("500", get("jx-exporter", "/licences/" + licenceNumber).getString("licence.lines[0].remaining.value"));
        JsonPath trace = get("jx-enforcement-officer", "/lots/" + omanLot + "/trace");
        List<String> facilities = trace.getList("steps.facilityId");
        assertEquals("360000-MINE-001", facilities.get(0), "the trace starts at the mine: " + facilities);
        assertEquals("360000-PORT-001", facilities.get(facilities.size() - 1), "and ends at the export point");
        assertTrue(trace.getList("steps.event.extracted.lotId").contains(ore), "the ore lot it was separated from");
        assertEquals("IN", trace.getString("steps[-1].event.exported.carrierDestinationCountryCode"));
        assertEquals("LOT_STATUS_EXPORTED", get("jx-enforcement-officer", "/lots/" + omanLot).getString("lot.status"));
    }

    // ------------------------------------------------------------------------------ 3. alerts

    @Test
    @Order(4)
    void theExportBeyondTheLicenceAndTheTransshipmentAreCaughtWithRuleVersionAndEvidence() {
        int version = get("jx-enforcement-officer", "/rule-set").getInt("ruleSet.version");
        ruleVersion = version;
        Map<String, Object>[] over = new Map[1];
        Map<String, Object>[] transship = new Map[1];
        Await.until("the alerts on " + overDeclaration + " and " + transshipDeclaration, ASYNC, () -> {
            over[0] = alertOn(overDeclaration, "EXPORT_OVER_LICENCE").orElse(null);
            transship[0] = alertOn(transshipDeclaration, "DESTINATION_MISMATCH").orElse(null);
            return over[0] != null && transship[0] != null;
        });
        overLicenceAlert = (String) over[0].get("id");
        transshipmentAlert = (String) transship[0].get("id");

        JsonPath a = get("jx-enforcement-officer", "/alerts/" + overLicenceAlert);
        assertEquals("EXPORT_OVER_LICENCE", a.getString("alert.ruleCode"));
        assertEquals(version, a.getInt("alert.ruleVersion"));
        assertEquals("SEVERITY_HIGH", a.getString("alert.severity"));
        assertEquals(JIANGXI, a.getString("alert.jurisdiction.code"));
        assertEquals("ALERT_STATE_OPEN", a.getString("alert.state"));
        assertTrue(a.getList("alert.evidenceIds").containsAll(List.of(overDeclaredAck.getRecordId(), overDeclaration)),
                "the declaration event and the declaration as evidence: " + a.getList("alert.evidenceIds"));

        JsonPath b = get("jx-enforcement-officer", "/alerts/" + transshipmentAlert);
        assertEquals("DESTINATION_MISMATCH", b.getString("alert.ruleCode"));
        assertEquals(version, b.getInt("alert.ruleVersion"));
        assertEquals("SEVERITY_CRITICAL", b.getString("alert.severity"));
        List<String> evidence = b.getList("alert.evidenceIds");
        assertTrue(evidence.containsAll(List.of(transshipExportedAck.getRecordId(), transshipDeclaration)),
                "the export event and the declaration as evidence: " + evidence);
        assertTrue(b.getString("alert.summary").contains("IN"), "the summary names where it went: " + b.getString("alert.summary"));

        // Hunan's officers see nothing of Jiangxi's alerts
        as("hn-enforcement-officer").when().get("/api/v1/alerts/" + transshipmentAlert).then().statusCode(403);
    }

    // ------------------------------------------------------------------------------ 4. case

    @Test
    @Order(5)
    void aJointCaseIsOpenedWithTasks() {
        caseTitle = "Dysprosium declared for Oman, carried to India (" + run + ")";
        JsonPath opened = post("jx-enforcement-officer", "/cases", Map.of("alertId", transshipmentAlert, "title", caseTitle,
                "leadDepartment", "DEPARTMENT_CUSTOMS",
                "participatingDepartments", List.of("DEPARTMENT_COMMERCE", "DEPARTMENT_PUBLIC_SECURITY")));
        caseId = opened.getString("case.id");
        String due = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        post("jx-enforcement-officer", "/cases/" + caseId + "/tasks", Map.of("department", "DEPARTMENT_CUSTOMS",
                "description", "Obtain the carrier's bill of lading for " + transshipDeclaration, "dueAt", due));
        post("jx-enforcement-officer", "/cases/" + caseId + "/tasks", Map.of("department", "DEPARTMENT_PUBLIC_SECURITY",
                "description", "Interview the exporter's logistics manager", "dueAt", due));

        JsonPath c = get("jx-customs-officer", "/cases/" + caseId);
        assertEquals("CASE_STATE_OPEN", c.getString("case.state"));
        assertEquals(transshipmentAlert, c.getString("case.alertId"));
        assertEquals(JIANGXI, c.getString("case.leadJurisdiction.code"));
        assertEquals(List.of("DEPARTMENT_CUSTOMS", "DEPARTMENT_PUBLIC_SECURITY"), c.getList("case.tasks.department"));
        assertEquals(List.of("TASK_STATE_OPEN", "TASK_STATE_OPEN"), c.getList("case.tasks.state"));
        assertTrue(c.getString("case.notes[0].text").contains(transshipmentAlert), "the first note quotes the alert");
        assertEquals("ALERT_STATE_CASE_OPENED", get("jx-enforcement-officer", "/alerts/" + transshipmentAlert).getString("alert.state"));
    }

    // ------------------------------------------------------------------------------ 5. notifications

    @Test
    @Order(6)
    void theRightProvincialOfficersAreNotifiedAndTheProvincialSystemReceivesItOnItsSubscription() {
        String overLink = "/alerts/" + overLicenceAlert;
        String transshipLink = "/alerts/" + transshipmentAlert;
        String caseLink = "/cases/" + caseId;
        for (String officer : List.of("jx-enforcement-officer", "jx-enforcement-officer2")) {
            Await.until(officer + "'s inbox items for both alerts", ASYNC, () -> {
                List<Map<String, Object>> items = inbox(officer);
                return has(items, overLink, "alert.raised") && has(items, transshipLink, "alert.raised");
            });
        }
        Map<String, Object> item = inbox("jx-enforcement-officer").stream().filter(i -> transshipLink.equals(i.get("link")))
                .findFirst().orElseThrow();
        assertEquals("PRIORITY_URGENT", item.get("priority"), "a critical alert is urgent");
        assertTrue(String.valueOf(item.get("title")).contains("DESTINATION_MISMATCH"), "the title names the rule: " + item);
        // and by e-mail: the alert e-mail reaches both Jiangxi enforcement officers, not Hunan's
        for (String officer : List.of("jx-enforcement-officer", "jx-enforcement-officer2")) {
            Await.until("the transshipment alert e-mail to " + officer + DEMO_MAIL, ASYNC,
                    () -> GreenMailApi.messages(Platform.MAIL_API, officer + DEMO_MAIL).stream()
                            .anyMatch(m -> String.valueOf(m.get("mimeMessage")).contains(transshipmentAlert)));
        }
        assertTrue(GreenMailApi.messages(Platform.MAIL_API, "hn-enforcement-officer" + DEMO_MAIL).stream()
                .noneMatch(m -> String.valueOf(m.get("mimeMessage")).contains(transshipmentAlert)),
                "Hunan's enforcement officer gets no e-mail about Jiangxi's alert");
        Await.until("the customs officer's task notification", ASYNC,
                () -> has(inbox("jx-customs-officer"), caseLink, "case.task-assigned"));
        Await.until("the public-security officer's task notification", ASYNC,
                () -> has(inbox("jx-publicsecurity-officer"), caseLink, "case.task-assigned"));

        // Jiangxi's system receives them on its subscription; Hunan's does not
        Await.until("province-360000-system's subscription to deliver both alerts and the tasks", ASYNC, () ->
                streamed(jiangxi, overLink) && streamed(jiangxi, transshipLink) && streamed(jiangxi, caseLink));
        assertNull(jiangxi.subscriptionError, "the subscription stays open");
        Notification n = jiangxi.received.stream().filter(x -> x.getLink().equals(transshipLink)).findFirst().orElseThrow();
        assertEquals("alert.raised", n.getCategory());
        assertEquals(JIANGXI, n.getJurisdiction().getCode());
        assertNull(hunan.subscriptionError, "Hunan's subscription stays open");
        assertFalse(streamed(hunan, overLink) || streamed(hunan, transshipLink) || streamed(hunan, caseLink),
                "Hunan's system receives nothing of Jiangxi's: " + hunan.received);

        // the wrong officers are not told: Hunan's enforcement officer, and no task to Jiangxi's inspector
        List<Map<String, Object>> hunanInbox = inbox("hn-enforcement-officer");
        assertFalse(has(hunanInbox, overLink, "alert.raised") || has(hunanInbox, transshipLink, "alert.raised"),
                "Hunan's enforcement officer is not told of Jiangxi's alerts");
    }

    // ------------------------------------------------------------------------------ 6. dashboard

    @Test
    @Order(7)
    void theMinistryDashboardShowsItInARealBrowser() throws Exception {
        try (MinistryBrowser browser = new MinistryBrowser()) {
            try {
                ministryDay(browser);
            } catch (Throwable failure) {
                browser.keepFailure("failure");
                throw failure;
            }
        }
    }

    void ministryDay(MinistryBrowser browser) throws Exception {
        {
            browser.signIn("nat-coordinator");
            browser.waitForChart("chart-alerts");
            String dashboard = browser.mainText();
            assertTrue(dashboard.contains(overLicenceAlert) && dashboard.contains(transshipmentAlert),
                    "the recent alerts list both alerts:\n" + dashboard);
            assertTrue(dashboard.contains("EXPORT_OVER_LICENCE v" + ruleVersion)
                    && dashboard.contains("DESTINATION_MISMATCH v" + ruleVersion),
                    "with their rule and version:\n" + dashboard);
            assertTrue(dashboard.contains(caseTitle), "the open tasks name the case:\n" + dashboard);
            assertTrue(browser.chartValue("chart-alerts", "Jiangxi") >= 1, "the open-alerts chart counts Jiangxi's open alert");
            browser.screenshot("01-ministry-dashboard");

            browser.open("/alerts/" + transshipmentAlert);
            assertEquals("DESTINATION_MISMATCH", browser.text("alert-rule"));
            String evidence = browser.text("evidence");
            assertTrue(evidence.contains(transshipDeclaration) && evidence.contains(transshipExportedAck.getRecordId()),
                    "the evidence on the alert page: " + evidence);
            browser.screenshot("02-transshipment-alert");

            browser.open("/cases/" + caseId);
            String casePage = browser.mainText();
            assertTrue(casePage.contains(caseTitle) && casePage.contains("bill of lading"), "the case with its tasks:\n" + casePage);
            browser.screenshot("03-joint-case");
        }
    }

    // ------------------------------------------------------------------------------ 7. audit

    @Test
    @Order(8)
    void theAuditChainsOfAllFiveServicesVerify() {
        for (String service : List.of("licensing", "provincial-reporting", "enforcement-coordination", "notification", "gateway")) {
            JsonPath v = get("nat-auditor", "/audit/" + service + "/verification");
            assertTrue(v.getBoolean("intact"), service + "'s audit chain verifies: " + v.prettify());
            // and agrees with every head of it the four other services hold (0: none contradicts it)
            Object contradicted = v.get("firstContradictedSequence");
            assertTrue(contradicted == null || Long.parseLong(contradicted.toString()) == 0, service + ": " + v.prettify());
            assertEquals(4, v.getList("peerChecks").size(), service + " asked its four peers: " + v.prettify());
            assertTrue(v.<Boolean>getList("peerChecks.reachable").stream().allMatch(Boolean.TRUE::equals),
                    service + "'s peers answered: " + v.prettify());
        }
        // and they hold what happened in this mission
        assertTrue(get("nat-auditor", "/audit/licensing/entries?pageSize=500").getList("entries.subject").stream()
                .anyMatch(s -> String.valueOf(s).contains(applicationId)), "licensing's chain records the application");
        assertTrue(get("nat-auditor", "/audit/enforcement-coordination/entries?pageSize=500").getList("entries.subject").stream()
                .anyMatch(s -> String.valueOf(s).contains(caseId)), "enforcement's chain records the case");
    }

    // ------------------------------------------------------------------------------ helpers

    String lot(String local) {
        return JIANGXI + "-" + run + "-" + local;
    }

    ChainEvent.Builder event(String n, String facility, Instant at) {
        return ChainEvent.newBuilder().setEventId(run + "-" + n).setFacilityId(facility)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()));
    }

    List<ChainEvent> shipAndReceive(String n, String from, String to, String lot, String kg, Supplier<Instant> next) {
        String shipment = JIANGXI + "-" + run + "-S" + n;
        Instant at = next.get();
        return List.of(
                event(n, from, at).setShipped(Shipped.newBuilder().setShipmentId(shipment).setLotId(lot).setQuantity(kg(kg))
                        .setToFacilityId(to).setCarrier("China Railway Container Transport (demo)").setVehicle("TRUCK-" + n)
                        .setSeal("SEAL-" + run + n).setExpectedArrival(Timestamp.newBuilder()
                                .setSeconds(at.plus(6, ChronoUnit.HOURS).getEpochSecond()))).build(),
                event(String.format("%02d", Integer.parseInt(n) + 1), to, next.get())
                        .setReceived(Received.newBuilder().setShipmentId(shipment).setWeighedQuantity(kg(kg))).build());
    }

    ExportDeclared declared(String declaration, String lot, String kg) {
        return ExportDeclared.newBuilder().setDeclarationId(declaration).setLicenceNumber(licenceNumber)
                .setExporterCreditCode(EXPORTER).setLotId(lot)
                .setItem(ItemRef.newBuilder().setItemCode("1C905").setTariffCode("2846901993"))
                .setQuantity(kg(kg)).setDestinationCountryCode("OM")
                .setUnitPrice(Money.newBuilder().setAmount("230.00").setCurrencyCode("USD")).build();
    }

    static Exported exported(String declaration, String lot, String kg, String carriedTo) {
        return Exported.newBuilder().setDeclarationId(declaration).setLotId(lot).setQuantity(kg(kg))
                .setCarrierDestinationCountryCode(carriedTo).setVesselOrFlight("China-Europe Railway Express (demo train)").build();
    }

    static ProducedLot produced(String lot, String material, String itemCode, String kg) {
        return ProducedLot.newBuilder().setLotId(lot).setMaterial(material).setItemCode(itemCode).setQuantity(kg(kg)).build();
    }

    static Quantity kg(String value) {
        return Quantity.newBuilder().setValue(value).setUnit(QuantityUnit.QUANTITY_UNIT_KILOGRAM_REO).build();
    }

    /** The alert of a rule on a declaration, as a Jiangxi enforcement officer lists them. */
    static Optional<Map<String, Object>> alertOn(String declaration, String rule) {
        List<Map<String, Object>> alerts = get("jx-enforcement-officer", "/alerts?pageSize=500").getList("alerts");
        return alerts == null ? Optional.empty() : alerts.stream()
                .filter(a -> rule.equals(a.get("ruleCode")))
                .filter(a -> declaration.equals(((Map<?, ?>) a.get("subject")).get("id")))
                .findFirst();
    }

    /** A person's inbox through the gateway: the notifications (title, category, link, priority ...). */
    static List<Map<String, Object>> inbox(String user) {
        List<Map<String, Object>> items = get(user, "/inbox?pageSize=500").getList("items.notification");
        return items == null ? List.of() : items;
    }

    static boolean has(List<Map<String, Object>> notifications, String link, String category) {
        return notifications.stream().anyMatch(n -> link.equals(n.get("link")) && category.equals(n.get("category")));
    }

    static boolean streamed(ProvincialSystem system, String link) {
        return system.received.stream().anyMatch(n -> n.getLink().equals(link));
    }
}
