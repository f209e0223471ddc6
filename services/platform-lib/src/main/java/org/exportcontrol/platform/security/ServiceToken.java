package org.exportcontrol.platform.security;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;

/**
 * This service's own access token (client-credentials grant of its confidential client,
 * configured as {@code quarkus.oidc-client.*}), for calls it makes on its own behalf: outbox
 * deliveries, schedulers. Cached until shortly before it expires.
 */
@ApplicationScoped
public class ServiceToken {

    /** Renew this long before expiry so a token never expires in flight. */
    private static final long RENEW_BEFORE_SECONDS = 30;

    @Inject
    OidcClient client;

    private final AtomicReference<Tokens> current = new AtomicReference<>();

    public Uni<String> accessToken() {
        Tokens tokens = current.get();
        if (tokens != null && !expiresSoon(tokens)) {
            return Uni.createFrom().item(tokens.getAccessToken());
        }
        return client.getTokens().invoke(current::set).map(Tokens::getAccessToken);
    }

    private static boolean expiresSoon(Tokens tokens) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        return expiresAt == null || expiresAt - RENEW_BEFORE_SECONDS <= System.currentTimeMillis() / 1000;
    }
}
