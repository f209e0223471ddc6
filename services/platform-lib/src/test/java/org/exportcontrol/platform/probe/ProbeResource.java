package org.exportcontrol.platform.probe;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

/** The same access check over REST (test-only). */
@Path("/probe/jurisdictions/{code}")
public class ProbeResource {

    @Inject
    AccessControl access;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> check(@PathParam("code") String code) {
        Jurisdiction jurisdiction = Jurisdiction.parse(code)
                .orElseThrow(() -> ApiErrors.invalidArgument("code", "must be \"national\" or a GB/T 2260 province-level code"));
        Caller caller = access.require(ProbeAction.RAISE, jurisdiction);
        return Map.of("caller", caller.subject(), "jurisdiction", jurisdiction.code());
    }
}
