package org.exportcontrol.platform.outbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.exportcontrol.platform.security.ServiceToken;
import org.exportcontrol.platform.work.DrainLoop;
import org.exportcontrol.platform.work.WakeUp;

/**
 * Delivers outbox messages over gRPC with the service's own token. It wakes on the NOTIFY that
 * {@link Outbox#enqueue} commits (so delivery follows the commit within milliseconds) and also
 * polls on a timer, which picks up retries and anything a missed notification left. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work without sending a
 * message twice at the same time. A failed delivery is retried with exponential backoff, for as
 * long as it takes: nothing committed is dropped. Delivery is at least once; receivers drop
 * duplicates by message id (the request id).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SELECT_DUE = """
            select id, destination, method, payload, attempts from outbox_message
             where delivered_at is null and next_attempt_at <= now()
             order by created_at limit $1 for update skip locked""";
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("unreadable response").withCause(e).asRuntimeException();
            }
        }
    };
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    OutboxDestinations destinations;
    @Inject
    ServiceToken serviceToken;
    @Inject
    MeterRegistry meters;
    @Inject
    @Any
    Instance<ClientInterceptor> interceptors;

    @ConfigProperty(name = "platform.outbox.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "platform.outbox.poll-interval", defaultValue = "2s")
    Duration pollInterval;
    @ConfigProperty(name = "platform.outbox.batch-size", defaultValue = "100")
    int batchSize;
    @ConfigProperty(name = "platform.outbox.deadline", defaultValue = "5s")
    Duration deadline;
    @ConfigProperty(name = "platform.outbox.max-backoff", defaultValue = "60s")
    Duration maxBackoff;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final AtomicLong backlog = new AtomicLong();
    private DrainLoop loop;
    private WakeUp wakeUp;

    void start(@Observes StartupEvent event) {
        if (!enabled || destinations.all().isEmpty()) {
            LOG.debug("outbox relay idle: no destinations configured");
            return;
        }
        meters.gauge("platform_outbox_backlog", backlog);
        loop = new DrainLoop("outbox", batchSize, this::drainOnce);
        wakeUp = WakeUp.listen(vertx, Outbox.CHANNEL, pollInterval, loop::nudge);
    }

    @PreDestroy
    void stop() {
        if (wakeUp != null) {
            wakeUp.close();
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    /** Asks for a drain soon (no-op while the relay is idle for lack of destinations). */
    public void nudge() {
        if (loop != null) {
            loop.nudge();
        }
    }

    /** Claims a batch of due messages, delivers them, records the outcomes; returns the batch size. */
    Uni<Integer> drainOnce() {
        return serviceToken.accessToken().flatMap(token -> pool.withTransaction(conn -> conn
                .preparedQuery(SELECT_DUE).execute(Tuple.of(batchSize))
                .flatMap(rows -> {
                    List<Uni<Outcome>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        sends.add(send(row, token));
                    }
                    if (sends.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .flatMap(outcomes -> record(conn, outcomes).replaceWith(outcomes.size()));
                })))
                .call(this::refreshBacklog);
    }

    private Uni<Outcome> send(Row row, String token) {
        UUID id = row.getUUID("id");
        String destination = row.getString("destination");
        int attempts = row.getInteger("attempts");
        String address = destinations.all().get(destination);
        if (address == null) {
            return Uni.createFrom().item(new Outcome(id, destination, attempts, null,
                    "destination " + destination + " is not configured"));
        }
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(row.getString("method"))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES)
                .build();
        byte[] payload = row.getBuffer("payload").getBytes();
        ManagedChannel channel = channels.computeIfAbsent(destination, d -> channelTo(address));
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return Uni.createFrom().<byte[]>emitter(emitter -> ClientCalls.asyncUnaryCall(
                io.grpc.ClientInterceptors.intercept(channel,
                        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                        .newCall(method, CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)),
                payload, new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                        emitter.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        emitter.fail(t);
                    }

                    @Override
                    public void onCompleted() {
                        // the unary value was already emitted
                    }
                }))
                .map(response -> new Outcome(id, destination, attempts, Instant.now(), null))
                .onFailure().recoverWithItem(t -> new Outcome(id, destination, attempts, null,
                        Status.fromThrowable(t).getCode() + ": " + Status.fromThrowable(t).getDescription()));
    }

    private ManagedChannel channelTo(String address) {
        ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forTarget(address).usePlaintext();
        // the globally registered client interceptors (OpenTelemetry context propagation)
        List<ClientInterceptor> global = new ArrayList<>();
        interceptors.forEach(global::add);
        return builder.intercept(global).build();
    }

    private Uni<Void> record(SqlConnection conn, List<Outcome> outcomes) {
        List<Tuple> delivered = new ArrayList<>();
        List<Tuple> failed = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.deliveredAt() != null) {
                delivered.add(Tuple.of(o.id()));
                meters.counter("platform_outbox_delivered_total", "destination", o.destination()).increment();
            } else {
                int attempts = o.attempts() + 1;
                long backoffMillis = Math.min(maxBackoff.toMillis(), 200L << Math.min(attempts, 20));
                failed.add(Tuple.of(o.id(), attempts, backoffMillis, o.error()));
                meters.counter("platform_outbox_failed_attempts_total", "destination", o.destination()).increment();
                LOG.debugf("outbox message %s to %s failed (attempt %d): %s", o.id(), o.destination(), attempts,
                        o.error());
            }
        }
        Uni<?> markDelivered = delivered.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("update outbox_message set delivered_at = now(), attempts = attempts + 1,"
                        + " last_error = null where id = $1").executeBatch(delivered);
        Uni<?> markFailed = failed.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("update outbox_message set attempts = $2,"
                        + " next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4 where id = $1")
                        .executeBatch(failed);
        return markDelivered.chain(() -> markFailed).replaceWithVoid();
    }

    private Uni<Void> refreshBacklog() {
        return pool.preparedQuery("select count(*) from outbox_message where delivered_at is null").execute()
                .invoke(rows -> backlog.set(rows.iterator().next().getLong(0))).replaceWithVoid();
    }

    /** The pending message count (also the {@code platform_outbox_backlog} gauge). */
    public long backlog() {
        return backlog.get();
    }

    private record Outcome(UUID id, String destination, int attempts, Instant deliveredAt, String error) {
    }
}
