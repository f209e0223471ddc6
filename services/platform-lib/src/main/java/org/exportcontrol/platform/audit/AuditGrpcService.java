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
import org.exportcontrol.api.common.v1.PeerHeadCheck;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadRequest;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadResponse;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.platform.error.ApiErrors;
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
    @Inject
    AuditPeers peers;

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
        return verification();
    }

    /**
     * The chain recomputed, then checked against the heads its peers hold (also for the gateway's
     * own chain, which the gateway verifies locally). The caller's access is checked beforehand.
     */
    public Uni<VerifyAuditChainResponse> verification() {
        return auditLog.verify().flatMap(v -> peers.crossCheck().map(checks -> {
            VerifyAuditChainResponse.Builder response = VerifyAuditChainResponse.newBuilder()
                    .setIntact(v.intact())
                    .setEntriesChecked(v.entriesChecked())
                    .setFirstBrokenSequence(v.firstBrokenSequence())
                    .setReason(v.reason())
                    .setHead(head(v.headSequence(), v.headHash()))
                    .addAllPeerChecks(checks);
            for (PeerHeadCheck check : checks) {
                response.setPeerHeadsAgreeing(response.getPeerHeadsAgreeing() + check.getHeadsAgreeing());
                long contradicted = check.getFirstContradictedSequence();
                if (contradicted > 0 && (response.getFirstContradictedSequence() == 0
                        || contradicted < response.getFirstContradictedSequence())) {
                    response.setFirstContradictedSequence(contradicted);
                }
            }
            return response.build();
        }));
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
        String callerService = peers.serviceOfClient(caller.subject());
        v.require("head.service", callerService.equals(head.getService()),
                "must be the calling service's own name (" + callerService + ")");
        v.require("head.sequence", head.getSequence() > 0, "must be positive");
        v.require("head.entry_hash", head.getEntryHash().matches("[0-9a-f]{64}"), "must be a hex SHA-256");
        v.require("head.observed_at", head.hasObservedAt(), "is required");
        v.throwIfInvalid();
        return idempotency.once(caller.subject(), "audit.record-peer-head", request.getRequestId(), request,
                RecordPeerChainHeadResponse.parser(), () -> Panache.getSession().flatMap(s -> s.createNativeQuery(
                        // replicas of one service push the same head at once: the second insert does nothing
                        "insert into peer_chain_head (service, sequence, entry_hash, observed_at, recorded_at)"
                                + " values (?1, ?2, ?3, ?4, now()) on conflict (service, sequence) do nothing")
                        .setParameter(1, head.getService())
                        .setParameter(2, head.getSequence())
                        .setParameter(3, head.getEntryHash())
                        .setParameter(4, Timestamps.toInstant(head.getObservedAt()))
                        .executeUpdate()
                        .chain(() -> s.find(PeerChainHeadEntity.class, key(head)))
                        .flatMap(held -> held.entryHash.equals(head.getEntryHash())
                                ? Uni.createFrom().item(RecordPeerChainHeadResponse.newBuilder().build())
                                // the first hash recorded for a sequence is the evidence: never overwritten
                                : Uni.createFrom().failure(ApiErrors.failedPrecondition("HEAD_CONTRADICTS_RECORDED",
                                        "entry " + head.getSequence() + " of " + head.getService() + " was recorded at "
                                                + held.observedAt + " with hash " + held.entryHash + ", not "
                                                + head.getEntryHash())))))
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

    private static PeerChainHeadEntity.Key key(ChainHead head) {
        PeerChainHeadEntity.Key key = new PeerChainHeadEntity.Key();
        key.service = head.getService();
        key.sequence = head.getSequence();
        return key;
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
