package org.exportcontrol.platform.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.ChainHead;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadRequest;
import org.exportcontrol.platform.grpc.Timestamps;
import org.jboss.logging.Logger;

import io.grpc.Status;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The periodic exchange of chain heads: every {@code platform.audit.exchange.interval} this
 * service pushes its current head to each peer ({@code RecordPeerChainHead}, with its own token),
 * when the head moved since the last push that peer accepted. A peer that is down is skipped
 * and tried again next round; nothing else waits on it. A peer that refuses the head because it
 * already holds another hash for that sequence has caught this chain rewritten (or restored from
 * a backup): that is logged as an error every round until an operator acts.
 */
@ApplicationScoped
public class AuditExchange {

    private static final Logger LOG = Logger.getLogger(AuditExchange.class);

    @Inject
    AuditPeers peers;
    @Inject
    AuditLog auditLog;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    @ConfigProperty(name = "platform.audit.exchange.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "platform.audit.exchange.interval", defaultValue = "60s")
    Duration interval;

    /** Per peer, the head it last accepted from us ("sequence:hash"). */
    private final Map<String, String> accepted = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    void start(@Observes StartupEvent event) {
        if (!enabled || peers.all().isEmpty()) {
            LOG.debug("audit head exchange idle: no peers configured");
            return;
        }
        LOG.infof("audit head exchange every %s with %s", interval, peers.all().keySet());
        timerId = vertx.setPeriodic(interval.toMillis(), id -> {
            // one round at a time: a slow peer must not pile rounds up
            if (running.compareAndSet(false, true)) {
                exchangeOnce().onTermination().invoke(() -> running.set(false))
                        .subscribe().with(r -> { }, t -> LOG.warnf("audit head exchange round failed: %s", t.toString()));
            }
        });
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** One round: the current head to every peer that has not yet accepted it. Returns the peers that hold it now. */
    public Uni<List<String>> exchangeOnce() {
        if (peers.all().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.query("select sequence, entry_hash from audit_chain_head where id = 1").execute().flatMap(rows -> {
            var row = rows.iterator().next();
            long sequence = row.getLong("sequence");
            if (sequence == 0) {
                return Uni.createFrom().item(List.<String>of());
            }
            ChainHead head = ChainHead.newBuilder().setService(auditLog.serviceName()).setSequence(sequence)
                    .setEntryHash(row.getString("entry_hash")).setObservedAt(Timestamps.of(Instant.now())).build();
            List<Uni<String>> pushes = peers.all().keySet().stream().map(peer -> push(peer, head)).toList();
            return Uni.join().all(pushes).andCollectFailures()
                    .map(held -> held.stream().filter(p -> !p.isEmpty()).toList());
        });
    }

    /** The head to one peer; the peer's name if it holds it afterwards, else "". */
    private Uni<String> push(String peer, ChainHead head) {
        String key = head.getSequence() + ":" + head.getEntryHash();
        if (key.equals(accepted.get(peer))) {
            return Uni.createFrom().item(peer);
        }
        return peers.stub(peer)
                .flatMap(stub -> stub.recordPeerChainHead(RecordPeerChainHeadRequest.newBuilder()
                        .setRequestId(UUID.randomUUID().toString()).setHead(head).build()))
                .map(response -> {
                    accepted.put(peer, key);
                    return peer;
                })
                .onFailure().recoverWithItem(t -> {
                    if (Status.fromThrowable(t).getCode() == Status.Code.FAILED_PRECONDITION) {
                        LOG.errorf("peer %s holds another hash for entry %d of this audit chain: the chain was"
                                + " rewritten or restored since %s recorded it (%s)", peer, head.getSequence(), peer,
                                AuditPeers.describe(t));
                    } else {
                        LOG.warnf("audit head %d not sent to %s, next round tries again: %s", head.getSequence(), peer,
                                AuditPeers.describe(t));
                    }
                    return "";
                });
    }
}
