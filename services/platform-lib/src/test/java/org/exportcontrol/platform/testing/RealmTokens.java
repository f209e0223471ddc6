package org.exportcontrol.platform.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.build.Jwt;

/**
 * Real access tokens from the real Keycloak started by the test command (deploy/local/test.sh),
 * for demo users (password grant through the local-only {@code demo-cli} client) and for service
 * accounts (client-credentials grant). Secrets and the demo password come from the environment
 * (deploy/local/demo-secrets.env, local demo credentials). Tokens are cached until shortly
 * before they expire.
 */
public final class RealmTokens {

    public static final String REALM = "export-control";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private RealmTokens() {
    }

    public static String keycloakUrl() {
        return env("KEYCLOAK_URL", "http://127.0.0.1:8180");
    }

    public static String issuer() {
        return keycloakUrl() + "/realms/" + REALM;
    }

    /** A demo user's access token, e.g. {@code user("jx-enforcement-officer")}. */
    public static String user(String username) {
        return CACHE.compute("user:" + username, (k, cached) -> fresh(cached) ? cached : fetch(Map.of(
                "grant_type", "password", "client_id", "demo-cli", "username", username,
                "password", requiredEnv("EC_DEMO_USER_PASSWORD"), "scope", "openid"))).token;
    }

    /** A service account's access token, e.g. {@code client("province-360000-system")}. */
    public static String client(String clientId) {
        return CACHE.compute("client:" + clientId, (k, cached) -> fresh(cached) ? cached : fetch(Map.of(
                "grant_type", "client_credentials", "client_id", clientId,
                "client_secret", requiredEnv(secretVariable(clientId))))).token;
    }

    /**
     * The environment variable holding a client's demo secret: "licensing-service" ->
     * EC_LICENSING_CLIENT_SECRET, "province-360000-system" -> EC_PROVINCE_360000_SECRET,
     * "gateway" -> EC_GATEWAY_CLIENT_SECRET.
     */
    public static String secretVariable(String clientId) {
        if (clientId.startsWith("province-")) {
            return "EC_PROVINCE_" + clientId.split("-")[1] + "_SECRET";
        }
        return "EC_" + clientId.replaceFirst("-service$", "").replaceFirst("^provincial-", "")
                .toUpperCase().replace('-', '_') + "_CLIENT_SECRET";
    }

    /**
     * A well-formed token with the claims of a national coordinator and the realm's issuer, but
     * signed by a key Keycloak never issued: every service must refuse it.
     */
    public static String signedByForeignKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return Jwt.issuer(issuer())
                    .subject("forged")
                    .claim("preferred_username", "nat-coordinator")
                    .claim("jurisdiction", "national")
                    .claim("realm_access", Map.of("roles", List.of("national-coordinator", "auditor")))
                    .expiresIn(Duration.ofMinutes(5))
                    .jws().keyId("foreign-key")
                    .sign(pair.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded payload of a JWT, for assertions on claims. */
    public static JsonNode claims(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    private static boolean fresh(Cached cached) {
        return cached != null && cached.expiresAtMillis - 30_000 > System.currentTimeMillis();
    }

    private static Cached fetch(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + form.getOrDefault("username",
                        form.get("client_id")) + ": " + response.statusCode() + " " + response.body());
            }
            JsonNode json = JSON.readTree(response.body());
            return new Cached(json.get("access_token").asText(),
                    System.currentTimeMillis() + json.get("expires_in").asLong() * 1000);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + keycloakUrl()
                    + "; run the tests through deploy/local/test.sh, which starts it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; source deploy/local/demo-secrets.env "
                    + "(local demo credentials) or run the tests through deploy/local/test.sh");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private record Cached(String token, long expiresAtMillis) {
    }
}
