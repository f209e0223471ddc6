package org.exportcontrol.simulator.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Access tokens from Keycloak (realm export-control), cached until shortly before they expire:
 * client credentials for a province's system ({@code province-<code>-system}, secret from
 * {@code EC_PROVINCE_<code>_SECRET}) and the password grant through the public {@code demo-cli}
 * client for LOCAL DEMO users (password from {@code EC_DEMO_USER_PASSWORD}). Both secrets are the
 * local demo values of deploy/local/demo-secrets.env unless the environment says otherwise.
 */
@ApplicationScoped
public class Tokens {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    /** Renew this long before expiry (tokens last 5 minutes in the realm). */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    @ConfigProperty(name = "simulator.keycloak.url")
    String keycloakUrl;
    @ConfigProperty(name = "simulator.keycloak.realm", defaultValue = "export-control")
    String realm;
    @Inject
    Config config;
    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Token> cache = new ConcurrentHashMap<>();

    private record Token(String value, Instant renewAt) {
    }

    /** A Keycloak answer that is not a token, or Keycloak not answering: the message names the cause. */
    public static final class TokenException extends RuntimeException {
        public TokenException(String message) {
            super(message);
        }
    }

    /** The token of a province's reporting system (client credentials). */
    public String province(String code) {
        String client = "province-" + code + "-system";
        return cache.compute("client:" + client, (k, t) -> fresh(t) ? t : fetch(client, Map.of(
                "grant_type", "client_credentials", "client_id", client,
                "client_secret", secret("EC_PROVINCE_" + code + "_SECRET"))))
                .value();
    }

    /** The token of a LOCAL DEMO user (password grant through demo-cli). */
    public String user(String username) {
        return cache.compute("user:" + username, (k, t) -> fresh(t) ? t : fetch(username, Map.of(
                "grant_type", "password", "client_id", "demo-cli", "username", username,
                "password", secret("EC_DEMO_USER_PASSWORD"))))
                .value();
    }

    /** gRPC call credentials that send the token of {@code principal} (a province code or a user name). */
    public CallCredentials credentials(String principal) {
        boolean province = principal.matches("\\d{6}");
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                executor.execute(() -> {
                    try {
                        Metadata headers = new Metadata();
                        headers.put(AUTHORIZATION, "Bearer " + (province ? province(principal) : user(principal)));
                        applier.apply(headers);
                    } catch (RuntimeException e) {
                        applier.fail(Status.UNAUTHENTICATED.withDescription(e.getMessage()).withCause(e));
                    }
                });
            }
        };
    }

    public String keycloakUrl() {
        return keycloakUrl;
    }

    private static boolean fresh(Token t) {
        return t != null && Instant.now().isBefore(t.renewAt());
    }

    private String secret(String variable) {
        return config.getOptionalValue(variable, String.class).filter(s -> !s.isBlank())
                .orElseThrow(() -> new TokenException(variable + " is not set (the LOCAL DEMO value is in "
                        + "deploy/local/demo-secrets.env: set -a; . deploy/local/demo-secrets.env; set +a)"));
    }

    private Token fetch(String who, Map<String, String> form) {
        String url = keycloakUrl.replaceAll("/+$", "") + "/realms/" + realm + "/protocol/openid-connect/token";
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new TokenException("Keycloak does not answer at " + keycloakUrl
                    + " (is the platform running? deploy/local/platform.sh status)");
        } catch (IOException e) {
            throw new TokenException("cannot reach Keycloak at " + keycloakUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while asking Keycloak for a token");
        }
        try {
            JsonNode json = mapper.readTree(response.body());
            if (response.statusCode() != 200 || !json.hasNonNull("access_token")) {
                throw new TokenException("Keycloak refused a token for " + who + ": HTTP " + response.statusCode()
                        + " " + json.path("error").asText("") + " " + json.path("error_description").asText(""));
            }
            long expiresIn = json.path("expires_in").asLong(60);
            Instant renewAt = Instant.now().plusSeconds(expiresIn).minus(MARGIN);
            return new Token(json.get("access_token").asText(), renewAt);
        } catch (IOException e) {
            throw new TokenException("Keycloak answered HTTP " + response.statusCode() + " without JSON for " + who
                    + " (is " + keycloakUrl + " Keycloak?)");
        }
    }
}
