package org.exportcontrol.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.platform.testing.Metrics;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The alerts list as the gateway serves it from its short-lived page cache (AlertPages): a page
 * is shared only by callers whom enforcement would answer alike, a change made through the gateway
 * shows at once, and {@code Cache-Control: no-cache} gets an answer fresh from enforcement.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class AlertPagesTest {

    private static final String OPEN = "ALERT_STATE_OPEN";
    private static final int SIZE = 100; // the largest page the gateway keeps

    static String bearer(String user) {
        return "Bearer " + RealmTokens.user(user);
    }

    /** One page of the open alerts as the user sees it. */
    static JsonPath page(String user, String token, boolean noCache) {
        var request = given().header("Authorization", bearer(user)).queryParam("state", OPEN).queryParam("pageSize", SIZE);
        if (!token.isEmpty()) {
            request.queryParam("pageToken", token);
        }
        if (noCache) {
            request.header("Cache-Control", "no-cache");
        }
        return request.when().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
    }

    static List<String> ids(JsonPath page) {
        return page.getList("alerts.id", String.class);
    }

    /**
     * The token of the page that holds the alert (open alerts come oldest first), reading every
     * page fresh (which keeps it in the cache from then on).
     */
    static String tokenOfPageWith(String user, String alertId) {
        String token = "";
        while (true) {
            JsonPath page = page(user, token, true);
            if (ids(page).contains(alertId)) {
                return token;
            }
            String next = page.getString("nextPageToken");
            assertFalse(next == null || next.isEmpty(), user + " does not see the open alert " + alertId);
            token = next;
        }
    }

    /** The token of the last page of the open alerts the user sees, reading every page fresh (and keeping it). */
    static String tokenOfLastPage(String user) {
        String token = "";
        while (true) {
            String next = page(user, token, true).getString("nextPageToken");
            if (next == null || next.isEmpty()) {
                return token;
            }
            token = next;
        }
    }

    @Test
    void aDismissalThroughTheGatewayShowsAtOnce() {
        Alert alert = MissionData.unlicensedJiangxiExport();
        String token = tokenOfPageWith("jx-enforcement-officer", alert.getId()); // that page is now kept
        assertTrue(ids(page("jx-enforcement-officer", token, false)).contains(alert.getId()));

        given().header("Authorization", bearer("jx-enforcement-officer")).header("Idempotency-Key", MissionData.id())
                .contentType("application/json").body(Map.of("reason", "Declaration withdrawn by the exporter"))
                .when().post("/api/v1/alerts/" + alert.getId() + "/dismiss").then().statusCode(200);

        // the same page, asked for again at once: without the dismissal emptying the cache it would
        // still be the kept page of a moment ago, with the alert open
        assertFalse(ids(page("jx-enforcement-officer", token, false)).contains(alert.getId()),
                "the dismissed alert is still listed as open");
    }

    @Test
    void noCacheGetsAnAnswerFreshFromEnforcement() {
        String token = tokenOfLastPage("jx-enforcement-officer");
        JsonPath kept = page("jx-enforcement-officer", token, false);
        String declaration = MissionData.raiseUnlicensedJiangxiExport(); // straight at enforcement, not through the gateway
        JsonPath fresh = page("jx-enforcement-officer", token, true);
        boolean onThisPage = fresh.getList("alerts.subject.id", String.class).contains(declaration);
        boolean onANewPage = kept.getString("nextPageToken").isEmpty() && !fresh.getString("nextPageToken").isEmpty();
        assertTrue(onThisPage || onANewPage, "a no-cache read does not show the alert raised after the kept page");
    }

    @Test
    void callersOfAnotherJurisdictionNeverGetTheKeptPage() {
        MissionData.raiseUnlicensedJiangxiExport(); // at least one open Jiangxi alert
        bearer("hn-enforcement-officer"); // the token first: the two reads follow each other closely
        page("nat-coordinator", "", false); // the national page, every jurisdiction's alerts, is now kept
        JsonPath hunan = page("hn-enforcement-officer", "", false);
        List<String> jurisdictions = hunan.getList("alerts.jurisdiction.code", String.class);
        assertTrue(jurisdictions.stream().allMatch("430000"::equals), "Hunan's officer was shown " + jurisdictions);
    }

    @Test
    void officersWithTheSameRolesAndJurisdictionShareAPage() {
        bearer("jx-enforcement-officer2"); // the token first: the two reads follow each other closely
        page("jx-enforcement-officer", "", true); // fresh: the page is kept from now on
        double hits = cacheGets("hit");
        double misses = cacheGets("miss");
        JsonPath second = page("jx-enforcement-officer2", "", false);
        // (Caffeine may count one read as more than one hit; a miss is what must not happen)
        assertTrue(cacheGets("hit") > hits, "the second Jiangxi officer's read was not a cache hit");
        assertEquals(misses, cacheGets("miss"), "the second Jiangxi officer's read went to enforcement");
        assertTrue(second.getList("alerts.jurisdiction.code", String.class).stream().allMatch("360000"::equals));
    }

    /** The cache's count of reads with this result ("hit", "miss"), from the gateway's Prometheus metrics. */
    static double cacheGets(String result) {
        return Metrics.value("cache_gets_total", "cache", "alert-pages", "result", result);
    }
}
