package org.exportcontrol.gateway.security;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A page request without a session would be redirected to Keycloak's login page. While Keycloak
 * does not answer, that redirect leads the browser to a connection error; instead the gateway
 * answers 503 with a page that says signing in is not possible right now. Sessions and bearer
 * tokens already issued are not affected: they are verified against the keys the gateway holds.
 * Keycloak is probed (a TCP connect, 1 s) at most every 3 s, and only for such requests.
 */
@ApplicationScoped
public class SignInAvailability {

    private static final Logger LOG = Logger.getLogger(SignInAvailability.class);
    private static final long PROBE_EVERY_MILLIS = 3_000;
    static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Signing in is not possible right now</title>
            <link rel="stylesheet" href="/static/app.css"></head>
            <body><main>
            <h1>Signing in is not possible right now</h1>
            <p>The identity provider is unavailable, so no one can sign in at the moment. People already
            signed in can go on working. Please try again in a few minutes.</p>
            <p lang="zh">暂时无法登录：身份认证服务不可用。已登录的用户可以继续使用。请几分钟后再试。</p>
            </main></body></html>
            """;

    @ConfigProperty(name = "platform.keycloak.url")
    String keycloakUrl;
    @Inject
    Vertx vertx;

    private NetClient probeClient;
    private volatile long checkedAt;
    private volatile boolean reachable = true;

    void register(@Observes Router router) {
        // before authentication (order -200), which would redirect to the login page
        router.route().order(-300).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!wouldSignIn(ctx)) {
            ctx.next();
            return;
        }
        probe().onComplete(up -> {
            if (up.succeeded() && up.result()) {
                ctx.next();
            } else if (!ctx.response().headWritten()) {
                ctx.response().setStatusCode(503)
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .putHeader("Retry-After", "30")
                        .putHeader("Cache-Control", "no-store")
                        .end(PAGE);
            }
        });
    }

    /** A page (not the API, gRPC, health or static files) asked for without a session. */
    static boolean wouldSignIn(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String contentType = ctx.request().getHeader("Content-Type");
        if (path.startsWith("/api/") || path.startsWith("/q/") || path.startsWith("/static/") || path.startsWith("/webjars/")
                || path.equals("/signed-out") || path.equals("/favicon.ico") || path.startsWith("/exportcontrol.")
                || path.startsWith("/grpc.") || (contentType != null && contentType.startsWith("application/grpc"))
                || ctx.request().getHeader("Authorization") != null) {
            return false;
        }
        for (Cookie cookie : ctx.request().cookies()) {
            if (cookie.getName().startsWith("q_session")) {
                return false;
            }
        }
        return true;
    }

    private Future<Boolean> probe() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < PROBE_EVERY_MILLIS) {
            return Future.succeededFuture(reachable);
        }
        checkedAt = now;
        if (probeClient == null) {
            probeClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
        }
        URI uri = URI.create(keycloakUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return probeClient.connect(port, uri.getHost()).map(socket -> {
            socket.close();
            return true;
        }).otherwise(failure -> false).onSuccess(up -> {
            if (up != reachable) {
                if (up) {
                    LOG.infof("the identity provider answers again at %s: signing in is possible", keycloakUrl);
                } else {
                    LOG.warnf("the identity provider does not answer at %s: sign-in pages answer 503", keycloakUrl);
                }
            }
            reachable = up;
        });
    }
}
