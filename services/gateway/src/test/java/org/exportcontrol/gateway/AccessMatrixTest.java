package org.exportcontrol.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.licensing.v1.Application;
import org.exportcontrol.gateway.Surface.Caller;
import org.exportcontrol.gateway.Surface.Rpc;
import org.exportcontrol.gateway.Surface.Rule;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Every gRPC method of every service (from the proto descriptors) and every endpoint of the
 * gateway's OpenAPI document, called by a demo caller per role in Jiangxi, Hunan and at the
 * national level, the service accounts, without a token, with an expired token and with a token
 * signed by a foreign key, against the expected outcomes in docs/security-model.md ("Access matrix
 * (machine-readable)"). Jurisdiction is checked on real Jiangxi resources.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendServices.class, restrictToAnnotatedClass = false)
class AccessMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEADLINE_MILLIS = 5_000;
    private static final long STREAM_DEADLINE_MILLIS = 1_500;

    static Application application;
    static Alert alert;
    static List<Caller> callers;
    /** name -> token (null: no token at all) for the three kinds of tokens nobody may use. */
    private static Map<String, String> badTokens;

    @BeforeAll
    static void data() throws Exception {
        application = MissionData.submittedJiangxiApplication();
        alert = MissionData.unlicensedJiangxiExport();
        callers = Surface.callers();
    }

    static synchronized Map<String, String> badTokens() throws Exception {
        if (badTokens == null) {
            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("no token", null);
            tokens.put("foreign-signed token", RealmTokens.signedByForeignKey());
            tokens.put("expired token", ExpiredTokens.expiredNationalCoordinatorToken());
            badTokens = tokens;
        }
        return badTokens;
    }

    /** Checks whose outcome differed from the table, and what was checked. */
    private final List<String> wrong = new ArrayList<>();
    private int checks;

    // ---------------------------------------------------------------- gRPC

    @Test
    void everyGrpcMethodAnswersEveryCallerAsTheTableSays() throws Exception {
        Map<String, Rule> rules = Surface.rules();
        List<Rpc> rpcs = Surface.rpcs();
        Set<String> uncovered = new TreeSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, ManagedChannel> channels = new LinkedHashMap<>();
        try {
            for (Rpc rpc : rpcs) {
                seen.add(rpc.key());
                Rule rule = rules.get(rpc.key());
                if (rule == null) {
                    uncovered.add(rpc.key());
                    continue;
                }
                long deadline = rpc.type() == io.grpc.MethodDescriptor.MethodType.UNARY ? DEADLINE_MILLIS : STREAM_DEADLINE_MILLIS;
                for (String service : rpc.servedBy()) {
                    ManagedChannel channel = channels.computeIfAbsent(service, s -> Surface.channel(s, RestAssured.port));
                    String where = rpc.key() + " on " + service;
                    for (Caller caller : callers) {
                        judge(where, caller.name(), letThrough(rule, caller),
                                Surface.call(channel, rpc, new byte[0], caller.token(), deadline));
                    }
                    badTokens().forEach((kind, token) -> judgeUnauthenticated(where, kind,
                            Surface.call(channel, rpc, new byte[0], token, deadline)));
                }
            }
            // jurisdiction: real Jiangxi resources, asked for by Jiangxi, Hunan and national callers
            for (Map.Entry<String, String> probe : grpcProbes().entrySet()) {
                Rpc rpc = rpcs.stream().filter(r -> r.key().equals(probe.getKey())).findFirst()
                        .orElseThrow(() -> new AssertionError("no method " + probe.getKey()));
                Rule rule = rules.get(rpc.key());
                byte[] request = json(rpc, probe.getValue());
                ManagedChannel channel = channels.computeIfAbsent(rpc.servedBy().get(0), s -> Surface.channel(s, RestAssured.port));
                for (Caller caller : callers) {
                    if (rule.allowsRoleOf(caller)) {
                        judge(rpc.key() + " " + probe.getValue(), caller.name(), inJiangxi(rule, caller),
                                Surface.call(channel, rpc, request, caller.token(), DEADLINE_MILLIS));
                    }
                }
            }
            // a write on a Jiangxi alert by a Hunan officer whose role allows it: refused, nothing changes
            Rpc dismiss = rpcs.stream().filter(r -> r.key().equals("AlertService/DismissAlert")).findFirst().orElseThrow();
            ManagedChannel enforcement = channels.computeIfAbsent("enforcement", s -> Surface.channel(s, RestAssured.port));
            long before = Surface.head(enforcement).getSequence();
            for (String hunan : List.of("hn-enforcement-officer", "hn-supervisor")) {
                judge("AlertService/DismissAlert of the Jiangxi alert", hunan, false, Surface.call(enforcement, dismiss,
                        json(dismiss, "{\"requestId\":\"" + MissionData.id() + "\",\"id\":\"" + alert.getId()
                                + "\",\"reason\":\"not ours\"}"), Surface.caller(hunan).token(), DEADLINE_MILLIS));
            }
            assertEquals(before, Surface.head(enforcement).getSequence(), "a refused dismissal changed enforcement's chain");
        } finally {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
        Set<String> stale = rules.keySet().stream().filter(k -> !k.contains(" ") && !seen.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("[access-matrix] gRPC: %d methods, %d checks, %d differ%n", seen.size(), checks, wrong.size());
        assertTrue(uncovered.isEmpty(), "gRPC methods without a row in docs/security-model.md (Access matrix): " + uncovered);
        assertTrue(stale.isEmpty(), "rows in docs/security-model.md naming gRPC methods that no longer exist: " + stale);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checks + " checks differ from docs/security-model.md:\n"
                + String.join("\n", wrong.subList(0, Math.min(80, wrong.size()))));
    }

    private Map<String, String> grpcProbes() {
        Map<String, String> probes = new LinkedHashMap<>();
        probes.put("ApplicationService/GetApplication", "{\"id\":\"" + application.getId() + "\"}");
        probes.put("AlertService/GetAlert", "{\"id\":\"" + alert.getId() + "\"}");
        probes.put("AlertService/ListAlerts", "{\"jurisdictionCode\":\"360000\"}");
        probes.put("EnterpriseService/GetEnterprise", "{\"creditCode\":\"" + MissionData.JIANGXI_EXPORTER + "\"}");
        probes.put("QuotaService/GetQuotaLedger", "{\"enterpriseCreditCode\":\"" + MissionData.JIANGXI_EXPORTER
                + "\",\"year\":2026,\"kind\":\"QUOTA_KIND_MINING\"}");
        probes.put("ExportStatisticsService/GetExportSummary",
                "{\"fromPeriod\":\"2026-01\",\"toPeriod\":\"2026-11\",\"provinceCode\":\"360000\"}");
        probes.put("RuleService/GetRuleSet", "{\"jurisdiction\":{\"code\":\"360000\"}}");
        return probes;
    }

    private static byte[] json(Rpc rpc, String json) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(rpc.input());
        try {
            JsonFormat.parser().merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("probe for " + rpc.key() + " is not a " + rpc.input().getFullName() + ": " + json, e);
        }
        return builder.build().toByteArray();
    }

    // ---------------------------------------------------------------- REST

    @Test
    void everyApiEndpointAnswersEveryCallerAsTheTableSays() throws Exception {
        Map<String, Rule> rules = Surface.rules();
        JsonNode paths = JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString()).get("paths");
        Set<String> uncovered = new TreeSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
            String path = it.next();
            for (Iterator<String> verbs = paths.get(path).fieldNames(); verbs.hasNext();) {
                String verb = verbs.next().toUpperCase();
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(verb)) {
                    continue;
                }
                String key = verb + " " + path;
                seen.add(key);
                Rule rule = rules.get(key);
                if (rule == null) {
                    uncovered.add(key);
                    continue;
                }
                String concrete = path.replace("{service}", "licensing").replaceAll("\\{[^}]+}", "MATRIX-0");
                for (Caller caller : callers) {
                    judge(key, caller.name(), letThrough(rule, caller), rest(verb, concrete, caller.token()));
                }
                badTokens().forEach((kind, token) -> judgeUnauthenticated(key, kind, rest(verb, concrete, token)));
            }
        }
        for (Map.Entry<String, String> probe : restProbes().entrySet()) {
            Rule rule = rules.get(probe.getKey());
            String path = probe.getValue();
            for (Caller caller : callers) {
                if (rule.allowsRoleOf(caller)) {
                    judge(probe.getKey() + " " + path, caller.name(), inJiangxi(rule, caller), rest("GET", path, caller.token()));
                }
            }
        }
        Set<String> stale = rules.keySet().stream().filter(k -> k.contains(" ") && !seen.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("[access-matrix] REST: %d endpoints, %d checks, %d differ%n", seen.size(), checks, wrong.size());
        assertTrue(uncovered.isEmpty(), "API endpoints without a row in docs/security-model.md (Access matrix): " + uncovered);
        assertTrue(stale.isEmpty(), "rows in docs/security-model.md naming endpoints the API no longer has: " + stale);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checks + " checks differ from docs/security-model.md:\n"
                + String.join("\n", wrong.subList(0, Math.min(80, wrong.size()))));
    }

    private Map<String, String> restProbes() {
        Map<String, String> probes = new LinkedHashMap<>();
        probes.put("GET /api/v1/applications/{id}", "/api/v1/applications/" + application.getId());
        probes.put("GET /api/v1/alerts/{id}", "/api/v1/alerts/" + alert.getId());
        probes.put("GET /api/v1/quota-ledgers/{creditCode}", "/api/v1/quota-ledgers/" + MissionData.JIANGXI_EXPORTER
                + "?year=2026&kind=QUOTA_KIND_MINING");
        probes.put("GET /api/v1/export-summary", "/api/v1/export-summary?fromPeriod=2026-01&toPeriod=2026-11&provinceCode=360000");
        return probes;
    }

    private static Response rest(String verb, String path, String token) {
        var request = given().redirects().follow(false).accept("application/json");
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (!"GET".equals(verb)) {
            request = request.contentType("application/json").header("Idempotency-Key", MissionData.id()).body("{}");
        }
        return request.request(verb, path);
    }

    // ---------------------------------------------------------------- judging

    /** The role allows it and, at a national-only step, the caller is national. */
    private static boolean letThrough(Rule rule, Caller caller) {
        return rule.allowsRoleOf(caller) && (!"national".equals(rule.scope()) || caller.national());
    }

    /** On a Jiangxi resource: the role, and a jurisdiction covering Jiangxi. */
    private static boolean inJiangxi(Rule rule, Caller caller) {
        return letThrough(rule, caller) && (caller.national() || "360000".equals(caller.jurisdiction()));
    }

    private void judge(String what, String caller, boolean expectLetThrough, Status status) {
        checks++;
        Status.Code code = status.getCode();
        boolean refused = code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED;
        if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN) {
            wrong.add(what + " by " + caller + ": " + code + " " + status.getDescription());
        } else if (expectLetThrough == refused || (!expectLetThrough && code != Status.Code.PERMISSION_DENIED)) {
            wrong.add(what + " by " + caller + ": expected " + (expectLetThrough ? "let through" : "PERMISSION_DENIED")
                    + ", got " + code + " " + status.getDescription());
        }
    }

    private void judge(String what, String caller, boolean expectLetThrough, Response response) {
        checks++;
        int status = response.statusCode();
        boolean refused = status == 401 || status == 403;
        if (status >= 500) {
            wrong.add(what + " by " + caller + ": " + status + " " + response.asString());
        } else if (expectLetThrough == refused || (!expectLetThrough && status != 403)) {
            wrong.add(what + " by " + caller + ": expected " + (expectLetThrough ? "let through" : "403") + ", got " + status
                    + " " + abbreviate(response.asString()));
        }
    }

    private void judgeUnauthenticated(String what, String kind, Status status) {
        checks++;
        if (status.getCode() != Status.Code.UNAUTHENTICATED) {
            wrong.add(what + " with " + kind + ": expected UNAUTHENTICATED, got " + status.getCode() + " " + status.getDescription());
        }
    }

    private void judgeUnauthenticated(String what, String kind, Response response) {
        checks++;
        if (response.statusCode() != 401) {
            wrong.add(what + " with " + kind + ": expected 401, got " + response.statusCode() + " " + abbreviate(response.asString()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /**
     * A real token from the realm that has expired: a public client of its own (created once through
     * the Keycloak admin API with the gateway's service account, which may manage clients) whose
     * access tokens live five seconds. The token is first shown to work, then used after it expired.
     */
    static final class ExpiredTokens {
        static final String CLIENT = "access-matrix-short-lived";
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        static String expiredNationalCoordinatorToken() throws Exception {
            String admin = RealmTokens.keycloakUrl() + "/admin/realms/" + RealmTokens.REALM + "/clients";
            String serviceToken = RealmTokens.client("gateway");
            HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "?clientId=" + CLIENT))
                    .header("Authorization", "Bearer " + serviceToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), found.body());
            if (JSON.readTree(found.body()).isEmpty()) {
                String client = JSON.writeValueAsString(Map.of("clientId", CLIENT, "publicClient", true,
                        "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                        "defaultClientScopes", List.of("basic", "roles", "chain-claims"),
                        "attributes", Map.of("access.token.lifespan", "5")));
                HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(admin))
                        .header("Authorization", "Bearer " + serviceToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(client)).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(created.statusCode() == 201 || created.statusCode() == 409, created.statusCode() + " " + created.body());
            }
            String form = "grant_type=password&client_id=" + CLIENT + "&username=nat-coordinator&password="
                    + URLEncoder.encode(System.getenv("EC_DEMO_USER_PASSWORD"), StandardCharsets.UTF_8);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(RealmTokens.issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            String token = JSON.readTree(answer.body()).get("access_token").asText();
            long expiresAt = RealmTokens.claims(token).get("exp").asLong() * 1000;
            assertTrue(expiresAt - System.currentTimeMillis() < 60_000, "the short-lived client's tokens live longer than a minute");
            // while it is fresh, the gateway accepts it: the 401 later is the expiry, nothing else
            given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200);
            long wait = expiresAt - System.currentTimeMillis() + 2_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            return token;
        }
    }
}
