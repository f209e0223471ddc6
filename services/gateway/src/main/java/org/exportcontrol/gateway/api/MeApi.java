package org.exportcontrol.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.gateway.security.CurrentUser;
import org.exportcontrol.gateway.security.Navigation;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;

/** Who the caller is, as the platform sees it: roles, jurisdiction, department, enterprise, pages. */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "session")
public class MeApi {

    @Inject
    CurrentUser user;

    @GET
    @NonBlocking // read from the verified token only: no hop to a worker thread
    @Operation(summary = "The caller's identity and the pages open to them")
    public Map<String, Object> me() {
        Caller caller = user.caller();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("subject", caller.subject());
        me.put("roles", new TreeSet<>(caller.roles()));
        me.put("jurisdiction", caller.jurisdiction().code());
        me.put("department", caller.department().orElse(null));
        me.put("enterprise", caller.enterprise().orElse(null));
        me.put("pages", Navigation.itemsFor(caller).stream().map(Navigation.Item::path).toList());
        return me;
    }
}
