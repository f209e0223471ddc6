package org.exportcontrol.platform.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.ChainHead;
import org.exportcontrol.api.common.v1.ListPeerChainHeadsRequest;
import org.exportcontrol.api.common.v1.MutinyAuditServiceGrpc;
import org.exportcontrol.api.common.v1.MutinyAuditServiceGrpc.MutinyAuditServiceStub;
import org.exportcontrol.api.common.v1.PeerHeadCheck;
import org.exportcontrol.platform.security.ServiceToken;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The other services that hold this service's chain heads, and that it holds heads of:
 * {@code platform.audit.peers.<service>=host:port} (the peer's HTTP port, which carries gRPC; a
 * blank address leaves the peer out; {@code platform.audit.exchange.enabled=false} leaves them all
 * out). Calls go out with this service's own token. Also the cross-check: this chain against the
 * heads of it that the peers recorded.
 */
@ApplicationScoped
public class AuditPeers {

    static final String PEERS = "platform.audit.peers.";
    static final String CLIENTS = "platform.audit.service-clients.";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final int PAGE = 500;

    @Inject
    ServiceToken serviceToken;
    @Inject
    Pool pool;
    @Inject
    AuditLog auditLog;
    @Inject
    @Any
    Instance<ClientInterceptor> interceptors;

    @ConfigProperty(name = "platform.audit.peer-deadline", defaultValue = "5s")
    Duration deadline;
    /** Per peer, the newest heads checked by a verification (a bound on its cost; see architecture.md). */
    @ConfigProperty(name = "platform.audit.cross-check.max-heads", defaultValue = "1000")
    int maxHeads;

    private final Map<String, String> addresses = new TreeMap<>();
    private final Map<String, String> serviceByClient = new TreeMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    AuditPeers() {
        Config config = ConfigProvider.getConfig();
        String self = config.getOptionalValue("quarkus.application.name", String.class).orElse("");
        // switched off (e.g. a service's own tests): no exchange and no cross-check
        boolean enabled = config.getOptionalValue("platform.audit.exchange.enabled", Boolean.class).orElse(true);
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PEERS) && enabled) {
                String peer = name.substring(PEERS.length());
                config.getOptionalValue(name, String.class).map(String::trim).filter(v -> !v.isEmpty())
                        .filter(v -> !peer.equals(self)).ifPresent(v -> addresses.put(peer, v));
            } else if (name.startsWith(CLIENTS)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> serviceByClient.put(name.substring(CLIENTS.length()), v.trim()));
            }
        }
    }

    /** The configured peers: service name -> address. */
    public Map<String, String> all() {
        return Map.copyOf(addresses);
    }

    /**
     * The service a client id stands for ({@code platform.audit.service-clients.<client-id>}),
     * e.g. "reporting-service" -> "provincial-reporting"; otherwise the client id without "-service".
     */
    public String serviceOfClient(String clientId) {
        return Optional.ofNullable(serviceByClient.get(clientId)).orElse(clientId.replaceFirst("-service$", ""));
    }

    /** The peer's AuditService, carrying this service's token and the peer deadline. */
    Uni<MutinyAuditServiceStub> stub(String peer) {
        String address = addresses.get(peer);
        ManagedChannel channel = channels.computeIfAbsent(peer, p -> channelTo(address));
        return serviceToken.accessToken().map(token -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            return MutinyAuditServiceGrpc.newMutinyStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private ManagedChannel channelTo(String address) {
        List<ClientInterceptor> global = new ArrayList<>();
        interceptors.forEach(global::add);
        return ManagedChannelBuilder.forTarget(address).usePlaintext().intercept(global).build();
    }

    @PreDestroy
    void stop() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    /** This chain against the heads each peer recorded of it; a peer that cannot be asked says so. */
    public Uni<List<PeerHeadCheck>> crossCheck() {
        if (addresses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<PeerHeadCheck>> checks = addresses.keySet().stream().map(this::checkAgainst).toList();
        return Uni.join().all(checks).andCollectFailures();
    }

    private Uni<PeerHeadCheck> checkAgainst(String peer) {
        return heldHeads(peer)
                .flatMap(heads -> compare(peer, heads))
                .onFailure().recoverWithItem(t -> PeerHeadCheck.newBuilder().setPeer(peer).setReachable(false)
                        .setReason("could not ask " + peer + ": " + describe(t)).build());
    }

    /** The newest heads of this chain the peer holds, up to {@code maxHeads}. */
    private Uni<List<ChainHead>> heldHeads(String peer) {
        return stub(peer).flatMap(stub -> page(stub, "", new ArrayList<>()));
    }

    private Uni<List<ChainHead>> page(MutinyAuditServiceStub stub, String token, List<ChainHead> heads) {
        return stub.listPeerChainHeads(ListPeerChainHeadsRequest.newBuilder().setService(auditLog.serviceName())
                .setPageSize(Math.max(1, Math.min(PAGE, maxHeads - heads.size()))).setPageToken(token).build())
                .flatMap(r -> {
                    heads.addAll(r.getHeadsList());
                    return r.getNextPageToken().isEmpty() || heads.size() >= maxHeads
                            ? Uni.createFrom().item(heads)
                            : page(stub, r.getNextPageToken(), heads);
                });
    }

    /** Each held head against the entry at its sequence. */
    private Uni<PeerHeadCheck> compare(String peer, List<ChainHead> heads) {
        PeerHeadCheck.Builder check = PeerHeadCheck.newBuilder().setPeer(peer).setReachable(true)
                .setHeadsChecked(heads.size());
        if (heads.isEmpty()) {
            return Uni.createFrom().item(check.build());
        }
        Long[] sequences = heads.stream().map(ChainHead::getSequence).toArray(Long[]::new);
        return pool.preparedQuery("select sequence, entry_hash from audit_entry where sequence = any($1)")
                .execute(Tuple.of(sequences))
                .map(rows -> {
                    Map<Long, String> stored = new java.util.HashMap<>();
                    for (Row row : rows) {
                        stored.put(row.getLong("sequence"), row.getString("entry_hash"));
                    }
                    long agreeing = 0;
                    ChainHead lowest = null;
                    for (ChainHead head : heads) {
                        if (head.getEntryHash().equals(stored.get(head.getSequence()))) {
                            agreeing++;
                        } else if (lowest == null || head.getSequence() < lowest.getSequence()) {
                            lowest = head;
                        }
                    }
                    check.setHeadsAgreeing(agreeing);
                    if (lowest != null) {
                        String mine = stored.get(lowest.getSequence());
                        check.setFirstContradictedSequence(lowest.getSequence()).setReason(peer + " recorded entry "
                                + lowest.getSequence() + " with hash " + lowest.getEntryHash() + " at "
                                + java.time.Instant.ofEpochSecond(lowest.getObservedAt().getSeconds()) + "; this chain "
                                + (mine == null ? "has no such entry" : "has " + mine));
                    }
                    return check.build();
                });
    }

    static String describe(Throwable t) {
        Status status = Status.fromThrowable(t);
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    }
}
