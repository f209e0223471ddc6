package org.exportcontrol.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.exportcontrol.platform.audit.AuditExchange;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The five audit chains hold each other's heads (pushed every second here, every minute by
 * default), and a verification checks a chain against them: what an auditor sees through
 * {@code /api/v1/audit/{service}/verification}. A chain rewritten consistently inside its own
 * database verifies by itself, and is still found through the heads the four other services hold.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class AuditChainHeadsTest {

    static final List<String> SERVICES = List.of("licensing", "provincial-reporting", "enforcement-coordination",
            "notification", "gateway");

    @Inject
    AuditExchange exchange;

    static JsonPath verification(String service) {
        return given().header("Authorization", "Bearer " + RealmTokens.user("nat-auditor"))
                .when().get("/api/v1/audit/" + service + "/verification")
                .then().statusCode(200).extract().jsonPath();
    }

    /** An audit read through the gateway: one more entry in the gateway's own chain. */
    static void readAnAuditLog() {
        given().header("Authorization", "Bearer " + RealmTokens.user("nat-auditor")).queryParam("pageSize", "1")
                .when().get("/api/v1/audit/licensing/entries").then().statusCode(200);
    }

    /** proto3 JSON writes int64 as a string (zero may be left out). */
    static long int64(JsonPath json, String path) {
        Object value = json.get(path);
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    @Test
    void everyChainAgreesWithTheHeadsTheOtherFourServicesHold() {
        readAnAuditLog();
        long heads = 0;
        for (String service : SERVICES) {
            Set<String> others = new TreeSet<>(SERVICES);
            others.remove(service);
            Await.until(service + "'s head held by the four others, in agreement", Duration.ofSeconds(30), () -> {
                JsonPath v = verification(service);
                if (int64(v, "head.sequence") == 0) {
                    return true; // an empty chain has no head to hold
                }
                List<Map<String, Object>> checks = v.getList("peerChecks");
                return checks.size() == 4 && checks.stream().allMatch(c -> Boolean.TRUE.equals(c.get("reachable"))
                        && c.get("headsChecked") != null && c.get("headsChecked").equals(c.get("headsAgreeing")));
            });
            JsonPath v = verification(service);
            assertEquals(true, v.getBoolean("intact"), service);
            assertEquals(others, new TreeSet<>(v.<String>getList("peerChecks.peer")), service + ": the peers asked");
            assertEquals(0, int64(v, "firstContradictedSequence"), service + ": " + v.prettify());
            heads += int64(v, "peerHeadsAgreeing");
        }
        System.out.printf("[audit] %d chains intact, each checked against the other four; %d peer-held heads agree%n",
                SERVICES.size(), heads);
        assertTrue(int64(verification("gateway"), "peerHeadsAgreeing") >= 4, "each of the four holds a gateway head");
    }

    @Test
    void aChainRewrittenInItsOwnDatabaseIsFoundThroughTheHeadsTheOtherServicesHold() {
        readAnAuditLog();
        long head = int64(verification("gateway"), "head.sequence");
        assertEquals(4, exchange.exchangeOnce().await().atMost(Duration.ofSeconds(20)).size(),
                "the four services hold the gateway's head " + head);

        // entry 1 gets another subject; every hash from there on is recomputed, the head row too
        List<TestDatabase.AuditRow> original = TestDatabase.rewriteAuditChain(BackendServices.GATEWAY_DB, 1, "audit/rewritten");
        try {
            JsonPath v = verification("gateway");
            assertEquals(true, v.getBoolean("intact"), "the rewrite is consistent: the chain by itself verifies");
            assertEquals(head, int64(v, "head.sequence"));
            long contradicted = int64(v, "firstContradictedSequence");
            assertTrue(contradicted >= 1 && contradicted <= head, "contradicted at " + contradicted + ": " + v.prettify());
            assertEquals(0, int64(v, "peerHeadsAgreeing"));
            List<Map<String, Object>> checks = v.getList("peerChecks");
            assertEquals(4, checks.size());
            for (Map<String, Object> check : checks) {
                assertEquals(true, check.get("reachable"), check.toString());
                assertTrue(Long.parseLong(check.get("headsChecked").toString()) >= 1, check.toString());
                assertEquals("0", String.valueOf(check.get("headsAgreeing")), "no held head agrees: " + check);
                assertTrue(check.get("reason").toString().contains("this chain has "), check.toString());
            }
            // and the rewritten head is refused by every peer: each holds another hash for that entry
            assertEquals(List.of(), exchange.exchangeOnce().await().atMost(Duration.ofSeconds(20)));
            System.out.printf("[audit] gateway chain rewritten from entry 1 of %d: intact by itself, contradicted at"
                    + " sequence %d by %d of 4 peers, rewritten head refused by 4 of 4%n", head, contradicted,
                    checks.size());
        } finally {
            TestDatabase.restoreAuditChain(BackendServices.GATEWAY_DB, original);
        }
        JsonPath restored = verification("gateway");
        assertEquals(0, int64(restored, "firstContradictedSequence"), restored.prettify());
        assertTrue(int64(restored, "peerHeadsAgreeing") >= 4);
    }
}
