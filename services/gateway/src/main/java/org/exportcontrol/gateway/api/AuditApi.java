package org.exportcontrol.gateway.api;

import static org.exportcontrol.gateway.api.Rpc.params;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.exportcontrol.api.common.v1.ListAuditEntriesRequest;
import org.exportcontrol.api.common.v1.ListAuditEntriesResponse;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.gateway.backend.ProtoJson;
import org.exportcontrol.gateway.security.CurrentUser;
import org.exportcontrol.platform.audit.AuditGrpcService;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.PlatformAction;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The five audit chains for auditors: entries inside the caller's jurisdiction and verification of
 * each chain. The four services answer for their own chains; "gateway" is this service's chain
 * (administration actions and reads of audit logs), read locally with the same checks.
 */
@Path("/api/v1/audit/{service}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditApi {

    public static final String GATEWAY = "gateway";
    private static final String ENTRIES = "audit-entries";

    @Inject
    Rpc rpc;
    @Inject
    CurrentUser user;
    @Inject
    AuditLog auditLog;
    /** The gateway's own AuditService (qualified, like every gRPC service bean). */
    @Inject
    @io.quarkus.grpc.GrpcService
    AuditGrpcService auditService;

    @GET
    @Path("/entries")
    @Operation(summary = "A service's audit entries in the caller's jurisdiction (service: licensing, provincial-reporting, enforcement-coordination, notification, gateway)",
            description = "ListAuditEntries")
    public Uni<String> entries(@PathParam("service") String service, @QueryParam("subject") String subject,
            @QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        return list(service, subject, pageSize, pageToken).map(ProtoJson::json);
    }

    @GET
    @Path("/verification")
    @Operation(summary = "Verify a service's whole audit chain, and check it against the heads of it the other services hold",
            description = "VerifyAuditChain")
    public Uni<String> verify(@PathParam("service") String service) {
        return verification(service).map(ProtoJson::json);
    }

    /** Also used by the audit page. */
    public Uni<ListAuditEntriesResponse> list(String service, String subject, String pageSize, String pageToken) {
        if (!GATEWAY.equals(service)) {
            ListAuditEntriesRequest.Builder request = ListAuditEntriesRequest.newBuilder();
            ProtoJson.set(request, params("subject", subject, "page_size", pageSize, "page_token", pageToken));
            Caller caller = user.caller();
            return readOfAuditLog(caller, service)
                    .chain(() -> rpc.backends().audit(caller, service).listAuditEntries(request.build()));
        }
        Caller caller = user.caller();
        AccessControl.check(caller, PlatformAction.AUDIT_READ, caller.jurisdiction());
        ListAuditEntriesRequest.Builder request = ListAuditEntriesRequest.newBuilder();
        ProtoJson.set(request, params("page_size", pageSize));
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(ENTRIES, pageToken == null ? "" : pageToken, 0);
        return readOfAuditLog(caller, service).chain(() -> localEntries(caller, after, size, subject));
    }

    @WithSession
    Uni<ListAuditEntriesResponse> localEntries(Caller caller, long after, int size, String subject) {
        return auditLog.list(caller, after, size + 1, subject == null ? "" : subject).map(entries -> {
            ListAuditEntriesResponse.Builder response = ListAuditEntriesResponse.newBuilder();
            entries.stream().limit(size).map(AuditGrpcService::toProto).forEach(response::addEntries);
            if (entries.size() > size) {
                response.setNextPageToken(Paging.token(ENTRIES, Long.toString(entries.get(size - 1).sequence)));
            }
            return response.build();
        });
    }

    public Uni<VerifyAuditChainResponse> verification(String service) {
        Caller caller = user.caller();
        if (!GATEWAY.equals(service)) {
            return rpc.backends().audit(caller, service).verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        }
        AccessControl.check(caller, PlatformAction.AUDIT_VERIFY, caller.jurisdiction());
        return auditService.verification();
    }

    /** Reading an audit log is itself a sensitive read: it goes into the gateway's own chain. */
    @WithTransaction
    Uni<Void> readOfAuditLog(Caller caller, String service) {
        AccessControl.check(caller, PlatformAction.AUDIT_READ, caller.jurisdiction());
        return auditLog.append(AuditRecord.of(caller, caller.jurisdiction(), "audit.read", "audit/" + service, null))
                .replaceWithVoid();
    }
}
