package org.exportcontrol.platform.audit;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.ActorKind;
import org.exportcontrol.api.common.v1.AuditEntry;
import org.exportcontrol.api.common.v1.AuditService;
import org.exportcontrol.api.common.v1.ChainHead;
import org.exportcontrol.api.common.v1.GetAuditChainHeadRequest;
import org.exportcontrol.api.common.v1.GetAuditChainHeadResponse;
import org.exportcontrol.api.common.v1.ListAuditEntriesRequest;
import org.exportcontrol.api.common.v1.ListAuditEntriesResponse;
import org.exportcontrol.api.common.v1.ListPeerChainHeadsRequest;
import org.exportcontrol.api.common.v1.ListPeerChainHeadsResponse;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadRequest;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadResponse;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.PlatformAction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The {@code AuditService} every service implements, over its own audit chain. */
@GrpcService
@Authenticated
public class AuditGrpcService implements AuditService {

    private static final String ENTRIES = "audit-entries";
    private static final String PEER_HEADS = "peer-heads";

    @Inject
    AccessControl access;
    @Inject
    AuditLog auditLog;
    @Inject
    Idempotency idempotency;

    @Override
    public Uni<ListAuditEntriesResponse> listAuditEntries(ListAuditEntriesRequest request) {
        Caller caller = access.require(PlatformAction.AUDIT_READ);
        int size = Paging.pageSize(request.getPageSize());
        long after = Paging.longPosition(ENTRIES, request.getPageToken(), 0);
        return auditLog.list(caller, after, size + 1, request.getSubject()).map(entries -> {
            ListAuditEntriesResponse.Builder response = ListAuditEntriesResponse.newBuilder();
            entries.stream().limit(size).map(AuditGrpcService::toProto).forEach(response::addEntries);
            if (entries.size() > size) {
                response.setNextPageToken(Paging.token(ENTRIES, Long.toString(entries.get(size - 1).sequence)));
            }
            return response.build();
        });
    }

    @Override
    public Uni<VerifyAuditChainResponse> verifyAuditChain(VerifyAuditChainRequest request) {
        access.require(PlatformAction.AUDIT_VERIFY);
        return auditLog.verify().map(this::toProto);
    }

    /** A verification as the API answers it (also for the gateway's own chain). */
    public VerifyAuditChainResponse toProto(AuditLog.ChainVerification v) {
        return VerifyAuditChainResponse.newBuilder()
                .setIntact(v.intact())
                .setEntriesChecked(v.entriesChecked())
                .setFirstBrokenSequence(v.firstBrokenSequence())
                .setReason(v.reason())
                .setHead(head(v.headSequence(), v.headHash()))
                .build();
    }

    @Override
    public Uni<GetAuditChainHeadResponse> getAuditChainHead(GetAuditChainHeadRequest request) {
        access.require(PlatformAction.AUDIT_READ_HEADS);
        return auditLog.head().map(h -> GetAuditChainHeadResponse.newBuilder()
                .setHead(head(h.sequence, h.entryHash)).build());
    }

    @Override
    public Uni<RecordPeerChainHeadResponse> recordPeerChainHead(RecordPeerChainHeadRequest request) {
        Caller caller = access.require(PlatformAction.AUDIT_RECORD_PEER_HEAD);
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        ChainHead head = request.getHead();
        v.require("head.service", serviceOf(caller).equals(head.getService()),
                "must be the calling service's own name (" + serviceOf(caller) + ")");
        v.require("head.sequence", head.getSequence() > 0, "must be positive");
        v.require("head.entry_hash", head.getEntryHash().matches("[0-9a-f]{64}"), "must be a hex SHA-256");
        v.require("head.observed_at", head.hasObservedAt(), "is required");
        v.throwIfInvalid();
        return idempotency.once(caller.subject(), "audit.record-peer-head", request.getRequestId(), request,
                RecordPeerChainHeadResponse.parser(), () -> {
                    PeerChainHeadEntity row = new PeerChainHeadEntity();
                    row.service = head.getService();
                    row.sequence = head.getSequence();
                    row.entryHash = head.getEntryHash();
                    row.observedAt = Timestamps.toInstant(head.getObservedAt());
                    row.recordedAt = Instant.now();
                    return Panache.getSession().flatMap(s -> s.merge(row))
                            .replaceWith(RecordPeerChainHeadResponse.newBuilder().build());
                })
                .map(result -> result.replayed()
                        ? result.response().toBuilder().setDuplicate(true).build()
                        : result.response());
    }

    @Override
    @WithSession
    public Uni<ListPeerChainHeadsResponse> listPeerChainHeads(ListPeerChainHeadsRequest request) {
        access.require(PlatformAction.AUDIT_READ_HEADS);
        int size = Paging.pageSize(request.getPageSize());
        long before = Paging.longPosition(PEER_HEADS, request.getPageToken(), Long.MAX_VALUE);
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from PeerChainHeadEntity where service = :service and sequence < :before order by sequence desc",
                PeerChainHeadEntity.class)
                .setParameter("service", request.getService())
                .setParameter("before", before)
                .setMaxResults(size + 1)
                .getResultList())
                .map(rows -> {
                    ListPeerChainHeadsResponse.Builder response = ListPeerChainHeadsResponse.newBuilder();
                    List<PeerChainHeadEntity> page = rows.subList(0, Math.min(size, rows.size()));
                    page.forEach(r -> response.addHeads(ChainHead.newBuilder().setService(r.service)
                            .setSequence(r.sequence).setEntryHash(r.entryHash)
                            .setObservedAt(Timestamps.of(r.observedAt))));
                    if (rows.size() > size) {
                        response.setNextPageToken(Paging.token(PEER_HEADS, Long.toString(page.get(size - 1).sequence)));
                    }
                    return response.build();
                });
    }

    /** "licensing-service" -> "licensing"; a client without the suffix is its own name. */
    static String serviceOf(Caller caller) {
        return caller.subject().replaceFirst("-service$", "");
    }

    private ChainHead head(long sequence, String hash) {
        return ChainHead.newBuilder().setService(auditLog.serviceName()).setSequence(sequence).setEntryHash(hash)
                .setObservedAt(Timestamps.of(Instant.now())).build();
    }

    public static AuditEntry toProto(AuditEntryEntity e) {
        AuditEntry.Builder b = AuditEntry.newBuilder()
                .setSequence(e.sequence)
                .setActor(e.actor)
                .setActorKind("SERVICE".equals(e.actorKind) ? ActorKind.ACTOR_KIND_SERVICE : ActorKind.ACTOR_KIND_USER)
                .setJurisdiction(e.jurisdiction)
                .setAction(e.action)
                .setSubject(e.subject)
                .setOccurredAt(Timestamps.of(e.occurredAt))
                .setPreviousHash(e.previousHash)
                .setEntryHash(e.entryHash);
        if (e.onBehalfOf != null) {
            b.setOnBehalfOf(e.onBehalfOf);
        }
        if (e.beforeDigest != null) {
            b.setBeforeDigest(e.beforeDigest);
        }
        if (e.afterDigest != null) {
            b.setAfterDigest(e.afterDigest);
        }
        if (e.requestId != null) {
            b.setRequestId(e.requestId);
        }
        return b.build();
    }
}
