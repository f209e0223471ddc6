package org.exportcontrol.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.licensing.v1.Application;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The REST/JSON API with real tokens against the real services: what an integrator or a ministry
 * script sees, including every refusal as problem+json.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class GatewayApiTest {

    private static final String PROBLEM = "application/problem+json";
    static Application application;
    static Alert alert;

    @BeforeAll
    static void data() {
        application = MissionData.submittedJiangxiApplication();
        alert = MissionData.unlicensedJiangxiExport();
    }

    static String bearer(String user) {
        return "Bearer " + RealmTokens.user(user);
    }

    @Test
    void noTokenIsRefusedWith401ProblemJson() {
        given().accept(ContentType.JSON).when().get("/api/v1/applications")
                .then().statusCode(401).contentType(PROBLEM).body("status", equalTo(401));
    }

    @Test
    void aTokenSignedByAForeignKeyOrGarbageIsRefusedWith401() {
        given().header("Authorization", "Bearer " + RealmTokens.signedByForeignKey()).when().get("/api/v1/applications")
                .then().statusCode(401).contentType(PROBLEM).body("reason", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer not-a-token").when().get("/api/v1/alerts")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void theApiNeverRedirectsToTheLoginPage() {
        given().redirects().follow(false).when().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void meTellsTheCallerWhoTheyAreAndWhichPagesTheySee() {
        given().header("Authorization", bearer("jx-licensing-officer")).when().get("/api/v1/me")
                .then().statusCode(200).body("jurisdiction", equalTo("360000"))
                .body("roles", hasItem("licensing-officer"))
                .body("pages", hasItem("/applications")).body("pages", not(hasItem("/admin/provinces")));
    }

    @Test
    void aJiangxiOfficerSeesTheJiangxiApplicationAndReviewsIt() {
        given().header("Authorization", bearer("jx-licensing-officer")).when().get("/api/v1/applications/" + application.getId())
                .then().statusCode(200).body("application.id", equalTo(application.getId()))
                .body("application.state", equalTo("APPLICATION_STATE_PROVINCIAL_REVIEW"))
                .body("application.content.exporterCreditCode", equalTo(MissionData.JIANGXI_EXPORTER));
        List<String> ids = given().header("Authorization", bearer("jx-licensing-officer"))
                .queryParam("state", "APPLICATION_STATE_PROVINCIAL_REVIEW").when().get("/api/v1/applications")
                .then().statusCode(200).extract().jsonPath().getList("applications.id");
        assertTrue(ids.contains(application.getId()), "the queue lists the new application: " + ids);
    }

    @Test
    void aHunanOfficerIsRefusedOnJiangxiDataWith403ProblemJson() {
        given().header("Authorization", bearer("hn-licensing-officer")).when().get("/api/v1/applications/" + application.getId())
                .then().statusCode(403).contentType(PROBLEM).body("reason", equalTo("OUTSIDE_JURISDICTION"));
        given().header("Authorization", bearer("hn-enforcement-officer")).when().get("/api/v1/alerts/" + alert.getId())
                .then().statusCode(403).contentType(PROBLEM).body("reason", equalTo("OUTSIDE_JURISDICTION"));
        given().header("Authorization", bearer("hn-licensing-officer")).contentType(ContentType.JSON)
                .header("Idempotency-Key", MissionData.id())
                .body("{\"decision\":\"DECISION_APPROVE\",\"reasons\":\"not ours to review\"}")
                .when().post("/api/v1/applications/" + application.getId() + "/provincial-review")
                .then().statusCode(403).contentType(PROBLEM);
        // and nothing changed
        given().header("Authorization", bearer("jx-licensing-officer")).when().get("/api/v1/applications/" + application.getId())
                .then().body("application.state", equalTo("APPLICATION_STATE_PROVINCIAL_REVIEW"));
    }

    @Test
    void exportersSeeOnlyTheirOwnEnterprisesApplicationsAndLicences() {
        List<String> creditCodes = given().header("Authorization", bearer("jx-exporter")).when().get("/api/v1/applications")
                .then().statusCode(200).extract().jsonPath().getList("applications.content.exporterCreditCode");
        assertTrue(creditCodes.contains(MissionData.JIANGXI_EXPORTER), "the exporter sees its application");
        assertTrue(creditCodes.stream().allMatch(MissionData.JIANGXI_EXPORTER::equals), "and only its own: " + creditCodes);
        given().header("Authorization", bearer("jx-exporter")).when().get("/api/v1/applications/" + application.getId())
                .then().statusCode(200).body("application.state", notNullValue());
        given().header("Authorization", bearer("hn-exporter")).when().get("/api/v1/applications/" + application.getId())
                .then().statusCode(403).contentType(PROBLEM);
        List<String> licenceHolders = given().header("Authorization", bearer("jx-exporter")).when().get("/api/v1/licences")
                .then().statusCode(200).extract().jsonPath().getList("licences.exporterCreditCode");
        assertTrue(licenceHolders.stream().allMatch(MissionData.JIANGXI_EXPORTER::equals), "own licences only: " + licenceHolders);
        given().header("Authorization", bearer("jx-exporter")).when().get("/api/v1/alerts")
                .then().statusCode(403).contentType(PROBLEM).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        given().header("Authorization", bearer("jx-exporter")).when().get("/api/v1/me")
                .then().statusCode(200).body("enterprise", equalTo(MissionData.JIANGXI_EXPORTER))
                .body("pages", hasItem("/applications")).body("pages", not(hasItem("/alerts")));
    }

    @Test
    void badInputIs400ProblemJsonNamingTheFieldAndChangesNothing() {
        given().header("Authorization", bearer("jx-licensing-officer")).contentType(ContentType.JSON)
                .header("Idempotency-Key", MissionData.id())
                .body("{\"decision\":\"DECISION_MAYBE\"}")
                .when().post("/api/v1/applications/" + application.getId() + "/provincial-review")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("body"));
        given().header("Authorization", bearer("jx-licensing-officer")).contentType(ContentType.JSON)
                .header("Idempotency-Key", MissionData.id())
                .body("{\"decison\":\"DECISION_APPROVE\"}")
                .when().post("/api/v1/applications/" + application.getId() + "/provincial-review")
                .then().statusCode(400).contentType(PROBLEM);
        given().header("Authorization", bearer("jx-licensing-officer")).queryParam("pageSize", "many")
                .when().get("/api/v1/applications")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("pageSize"));
        given().header("Authorization", bearer("jx-licensing-officer")).queryParam("state", "NOT_A_STATE")
                .when().get("/api/v1/applications")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("state"));
        given().header("Authorization", bearer("jx-licensing-officer")).when().get("/api/v1/applications/" + application.getId())
                .then().body("application.state", equalTo("APPLICATION_STATE_PROVINCIAL_REVIEW"));
    }

    @Test
    void theAlertNamesRuleVersionAndEvidence() {
        given().header("Authorization", bearer("jx-enforcement-officer")).when().get("/api/v1/alerts/" + alert.getId())
                .then().statusCode(200).body("alert.ruleCode", equalTo("UNLICENSED_EXPORT"))
                .body("alert.ruleVersion", notNullValue()).body("alert.jurisdiction.code", equalTo("360000"))
                .body("alert.evidenceIds", hasItem(alert.getSubject().getId()));
    }

    @Test
    void dashboardReadsAnswerInsideTheCallersJurisdiction() {
        given().header("Authorization", bearer("jx-enforcement-officer")).when().get("/api/v1/directives")
                .then().statusCode(200).contentType(ContentType.JSON);
        given().header("Authorization", bearer("nat-analyst")).queryParam("fromPeriod", "2026-01").queryParam("toPeriod", "2026-11")
                .when().get("/api/v1/export-summary").then().statusCode(200).contentType(ContentType.JSON);
        given().header("Authorization", bearer("hn-enforcement-officer")).queryParam("fromPeriod", "2026-01")
                .queryParam("toPeriod", "2026-11").queryParam("provinceCode", "360000")
                .when().get("/api/v1/export-summary").then().statusCode(403).contentType(PROBLEM)
                .body("reason", equalTo("OUTSIDE_JURISDICTION"));
        given().header("Authorization", bearer("nat-analyst")).queryParam("fromPeriod", "2026-13").queryParam("toPeriod", "2026-11")
                .when().get("/api/v1/export-summary").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void theOpenApiDocumentListsTheApi() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("paths", hasKey("/api/v1/applications"))
                .body("paths", hasKey("/api/v1/alerts/{id}")).body("paths", hasKey("/api/v1/admin/provinces"))
                .body("paths", not(hasKey("/")));
    }

    @Test
    void auditorsReadAndVerifyEveryChainThroughTheGateway() {
        for (String service : List.of("licensing", "provincial-reporting", "enforcement-coordination", "notification", "gateway")) {
            given().header("Authorization", bearer("nat-auditor")).when().get("/api/v1/audit/" + service + "/verification")
                    .then().statusCode(200).body("intact", equalTo(true));
        }
        given().header("Authorization", bearer("nat-auditor")).when().get("/api/v1/audit/licensing/entries")
                .then().statusCode(200).body("entries.action", hasItem("application.submit"));
        given().header("Authorization", bearer("jx-licensing-officer")).when().get("/api/v1/audit/licensing/entries")
                .then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", bearer("nat-auditor")).when().get("/api/v1/audit/nowhere/entries")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void pagesCarrySecurityHeadersAndSendBrowsersToTheLoginPage() {
        var response = given().redirects().follow(false).when().get("/alerts");
        assertEquals(302, response.statusCode());
        assertTrue(response.header("Location").contains("/realms/export-control/protocol/openid-connect/auth"),
                response.header("Location"));
        given().when().get("/signed-out").then().statusCode(200)
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"));
    }

    @Test
    void theChartLibraryIsServedFromAMavenArtefact() {
        given().when().get("/webjars/chart.js/dist/chart.umd.js").then().statusCode(200);
    }

    @Test
    void onlyTheNationalCoordinatorOnboardsAProvince() {
        Map<String, String> yunnan = Map.of("code", "530000", "name", "yunnan", "supervisorUsername", "yn-supervisor-" + MissionData.id().substring(0, 6),
                "supervisorEmail", "yn-supervisor@demo.exportcontrol.invalid", "supervisorFirstName", "Wei", "supervisorLastName", "Li");
        given().header("Authorization", bearer("jx-enforcement-officer")).contentType(ContentType.JSON).body(yunnan)
                .when().post("/api/v1/admin/provinces").then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", bearer("nat-coordinator")).contentType(ContentType.JSON)
                .body(Map.of("code", "999999", "name", "Yunnan!", "supervisorUsername", "x", "supervisorEmail", "nope",
                        "supervisorFirstName", "", "supervisorLastName", "Li"))
                .when().post("/api/v1/admin/provinces").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("code")).body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("supervisorEmail"));
        given().header("Authorization", bearer("nat-coordinator")).when().get("/api/v1/admin/provinces")
                .then().statusCode(200).body("code", hasItem("360000"));
    }

    @Test
    void theNationalCoordinatorOnboardsAProvinceWhoseSystemThenSignsIn() throws Exception {
        List<String> onboarded = given().header("Authorization", bearer("nat-coordinator")).when().get("/api/v1/admin/provinces")
                .then().statusCode(200).extract().jsonPath().getList("code");
        // Yunnan first; on a Keycloak kept from an earlier run, the next province not yet onboarded
        String code = List.of("530000", "520000", "510000", "440000", "370000", "350000", "340000", "330000", "320000")
                .stream().filter(c -> !onboarded.contains(c)).findFirst().orElseThrow();
        String name = org.exportcontrol.platform.security.Jurisdiction.of(code).displayName().toLowerCase().replace(' ', '-');
        String supervisor = name + "-supervisor";
        var result = given().header("Authorization", bearer("nat-coordinator")).contentType(ContentType.JSON)
                .body(Map.of("code", code, "name", name, "supervisorUsername", supervisor,
                        "supervisorEmail", supervisor + "@demo.exportcontrol.invalid", "supervisorFirstName", "Wei",
                        "supervisorLastName", "Li"))
                .when().post("/api/v1/admin/provinces").then().statusCode(201)
                .body("systemClientId", equalTo("province-" + code + "-system"))
                .body("group", equalTo("/provinces/" + name)).extract().jsonPath();
        // the provincial system signs in with the secret shown once and carries its province
        var form = "grant_type=client_credentials&client_id=province-" + code + "-system&client_secret="
                + java.net.URLEncoder.encode(result.getString("systemClientSecret"), java.nio.charset.StandardCharsets.UTF_8);
        var token = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(RealmTokens.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        var claims = RealmTokens.claims(new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.body())
                .get("access_token").asText());
        assertEquals(code, claims.get("jurisdiction").asText());
        assertTrue(claims.get("realm_access").get("roles").toString().contains("provincial-system"), claims.toString());
        // onboarding again is refused, and the action is in the gateway's audit chain
        given().header("Authorization", bearer("nat-coordinator")).contentType(ContentType.JSON)
                .body(Map.of("code", code, "name", name, "supervisorUsername", supervisor + "2",
                        "supervisorEmail", supervisor + "@demo.exportcontrol.invalid", "supervisorFirstName", "Wei",
                        "supervisorLastName", "Li"))
                .when().post("/api/v1/admin/provinces").then().statusCode(409).contentType(PROBLEM)
                .body("reason", equalTo("PROVINCE_EXISTS"));
        given().header("Authorization", bearer("nat-auditor")).queryParam("pageSize", "500").when().get("/api/v1/audit/gateway/entries")
                .then().statusCode(200).body("entries.subject", hasItem("province/" + code));
    }
}
