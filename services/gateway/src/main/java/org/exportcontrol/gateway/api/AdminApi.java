package org.exportcontrol.gateway.api;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.gateway.admin.ProvinceOnboarding;
import org.exportcontrol.gateway.security.CurrentUser;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** National administration: the provinces in the realm and onboarding a new one. */
@Path("/api/v1/admin/provinces")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "administration")
public class AdminApi {

    public static final String ROLE = "national-coordinator";

    @Inject
    CurrentUser user;
    @Inject
    ProvinceOnboarding onboarding;

    @GET
    @Operation(summary = "Provinces onboarded in the realm")
    public List<ProvinceOnboarding.Province> provinces() {
        requireNationalCoordinator();
        return onboarding.provinces();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Onboard a province: groups and departments, provincial-system client, first supervisor; credentials are in this answer only")
    public Response onboard(ProvinceOnboarding.Request request) {
        Caller caller = requireNationalCoordinator();
        if (request == null) {
            throw ApiErrors.invalidArgument("body", "a JSON object with code, name, supervisorUsername, supervisorEmail, supervisorFirstName, supervisorLastName");
        }
        return Response.status(201).entity(onboarding.onboard(caller, request)).build();
    }

    Caller requireNationalCoordinator() {
        Caller caller = user.caller();
        if (!caller.hasRole(ROLE)) {
            throw ApiErrors.permissionDenied("ROLE_NOT_ALLOWED", caller.subject() + " has no role that allows province.onboard");
        }
        if (!caller.jurisdiction().isNational()) {
            throw ApiErrors.permissionDenied("OUTSIDE_JURISDICTION", "only the national level onboards provinces");
        }
        return caller;
    }
}
