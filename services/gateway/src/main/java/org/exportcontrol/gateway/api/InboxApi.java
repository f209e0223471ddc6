package org.exportcontrol.gateway.api;

import static org.exportcontrol.gateway.api.Rpc.params;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.api.notification.v1.*;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The signed-in person's notification inbox (notification service). */
@Path("/api/v1/inbox")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "notification")
public class InboxApi {

    @Inject
    Rpc rpc;

    @GET
    @Operation(summary = "The caller's inbox, newest first", description = "ListInboxItems")
    public Uni<String> list(@QueryParam("unreadOnly") String unreadOnly, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        return rpc.read(ListInboxItemsRequest.newBuilder(), params("unread_only", unreadOnly, "page_size", pageSize, "page_token", pageToken),
                (Caller c, ListInboxItemsRequest r) -> rpc.backends().inbox(c).listInboxItems(r));
    }

    @POST
    @Path("/{notificationId}/read")
    @Operation(summary = "Mark an item read", description = "MarkInboxItemRead")
    public Uni<String> markRead(@PathParam("notificationId") String id, String body, @HeaderParam(LicensingApi.KEY) String key) {
        return rpc.write(body, MarkInboxItemReadRequest.newBuilder(), params("notification_id", id), key,
                (Caller c, MarkInboxItemReadRequest r) -> rpc.backends().inbox(c).markInboxItemRead(r));
    }

    @POST
    @Path("/{notificationId}/acknowledge")
    @Operation(summary = "Acknowledge an item (audited; stops its escalation)", description = "AcknowledgeInboxItem")
    public Uni<String> acknowledge(@PathParam("notificationId") String id, String body, @HeaderParam(LicensingApi.KEY) String key) {
        return rpc.write(body, AcknowledgeInboxItemRequest.newBuilder(), params("notification_id", id), key,
                (Caller c, AcknowledgeInboxItemRequest r) -> rpc.backends().inbox(c).acknowledgeInboxItem(r));
    }
}
