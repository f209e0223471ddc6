package org.exportcontrol.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.gateway.backend.AlertPages;
import org.exportcontrol.gateway.backend.Backends;
import org.exportcontrol.gateway.backend.ProtoJson;
import org.exportcontrol.gateway.security.CurrentUser;
import org.exportcontrol.platform.security.Caller;

import com.google.protobuf.Message;

import io.smallrye.mutiny.Uni;

/**
 * One REST call = one gRPC call as the signed-in person: the request message is built from the JSON
 * body, then path and query parameters (which win), then the {@code Idempotency-Key} header as
 * {@code request_id}; the answer is the response message in proto3 JSON. gRPC errors become
 * problem+json in {@link org.exportcontrol.platform.error.ProblemMapper}.
 */
@ApplicationScoped
public class Rpc {

    @Inject
    CurrentUser user;
    @Inject
    Backends backends;
    @Inject
    AlertPages alertPages;

    public Backends backends() {
        return backends;
    }

    public AlertPages alertPages() {
        return alertPages;
    }

    /** A read: query and path parameters only. */
    public <Q extends Message, B extends Message.Builder, R extends Message> Uni<String> read(B request,
            Map<String, String> parameters, BiFunction<Caller, Q, Uni<R>> rpc) {
        return readJson(request, parameters, (Caller c, Q q) -> rpc.apply(c, q).map(ProtoJson::json));
    }

    /** A read whose answer comes as proto3 JSON already (a cached page). */
    @SuppressWarnings("unchecked")
    public <Q extends Message, B extends Message.Builder> Uni<String> readJson(B request,
            Map<String, String> parameters, BiFunction<Caller, Q, Uni<String>> rpc) {
        Caller caller = user.caller();
        ProtoJson.set(request, parameters);
        return rpc.apply(caller, (Q) request.build());
    }

    /** A change: JSON body, then path parameters, then the idempotency key. */
    @SuppressWarnings("unchecked")
    public <Q extends Message, B extends Message.Builder, R extends Message> Uni<String> write(String body, B request,
            Map<String, String> pathParameters, String idempotencyKey, BiFunction<Caller, Q, Uni<R>> rpc) {
        Caller caller = user.caller();
        ProtoJson.parse(body, request);
        Map<String, String> fields = new LinkedHashMap<>(pathParameters);
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            fields.put("request_id", idempotencyKey);
        }
        ProtoJson.set(request, fields);
        // any change may touch alerts (a dismissal, a case opened on one): cached pages go
        return rpc.apply(caller, (Q) request.build()).call(alertPages::changed).map(ProtoJson::json);
    }

    public static Map<String, String> params(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
