package org.exportcontrol.gateway.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * A bearer token that fails verification (expired, foreign signature, garbage) is refused before
 * any resource runs (proactive authentication). On the API that refusal is problem+json like every
 * other error, not an empty 401.
 */
@ApplicationScoped
public class ApiAuthenticationFailures {

    void register(@Observes Router router) {
        router.route("/api/*").order(-1_000).failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof AuthenticationFailedException && !ctx.response().headWritten()) {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "about:blank");
                problem.put("title", "Unauthorized");
                problem.put("status", 401);
                problem.put("detail", "a valid bearer token from the export-control realm is required");
                problem.put("reason", "UNAUTHENTICATED");
                ctx.response().setStatusCode(401)
                        .putHeader("Content-Type", "application/problem+json")
                        .putHeader("WWW-Authenticate", "Bearer")
                        .end(new JsonObject(problem).encode());
            } else {
                ctx.next();
            }
        });
    }
}
