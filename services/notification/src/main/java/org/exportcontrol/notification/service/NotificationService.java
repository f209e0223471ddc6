package org.exportcontrol.notification.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyResponse;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.notification.domain.NotificationEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Roles;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Accepts notifications: the notification and its first deliveries are written in the caller's
 * transaction (so Notify answers only after they are committed), then the worker and the stream
 * hub are woken. Also escalates notifications whose acknowledgement did not come in time.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);
    /** Advisory lock key serialising stream inserts, so stream sequence order is commit order. */
    static final long STREAM_LOCK = 0x6e6f746966L;

    @Inject
    AuditLog audit;
    @Inject
    WorkSignal signal;

    @ConfigProperty(name = "quarkus.oidc-client.client-id")
    String serviceClientId;
    @ConfigProperty(name = "notification.escalation.batch-size", defaultValue = "20")
    int escalationBatch;

    /** The service acting on its own behalf (escalations), for the audit log. */
    public Caller self() {
        return new Caller(serviceClientId, Caller.Kind.SERVICE, Set.of(), org.exportcontrol.platform.security.Jurisdiction.NATIONAL,
                Optional.empty(), Optional.empty(), "");
    }

    /** Stores a validated request; must run inside a transaction. A known de-duplication key is a duplicate. */
    public Uni<NotifyResponse> accept(String sender, NotifyRequest r, UUID escalationOf) {
        String key = r.getDeduplicationKey().isEmpty() ? null : r.getDeduplicationKey();
        return Panache.getSession().flatMap(s -> {
            Uni<UUID> existing = key == null ? Uni.createFrom().nullItem()
                    : s.createSelectionQuery("select id from NotificationEntity where sender = :s and deduplicationKey = :k",
                            UUID.class).setParameter("s", sender).setParameter("k", key).getSingleResultOrNull();
            return existing.flatMap(found -> found != null
                    ? Uni.createFrom().item(NotifyResponse.newBuilder().setNotificationId(found.toString())
                            .setDuplicate(true).build())
                    : store(s, sender, r, key, escalationOf));
        });
    }

    private Uni<NotifyResponse> store(Mutiny.Session s, String sender, NotifyRequest r, String key, UUID escalationOf) {
        NotificationEntity n = new NotificationEntity();
        n.id = UUID.randomUUID();
        n.sender = sender;
        n.requestId = r.getRequestId();
        n.category = r.getCategory();
        n.title = r.getTitle();
        n.body = r.getBody();
        n.link = r.getLink();
        n.priority = (r.getPriority() == Priority.PRIORITY_UNSPECIFIED ? Priority.PRIORITY_NORMAL : r.getPriority()).name();
        n.jurisdiction = r.getJurisdiction().getCode();
        n.channels = r.getChannelsList().stream().distinct().map(Channel::name).collect(Collectors.joining(","));
        n.request = r.toByteArray();
        n.deduplicationKey = key;
        n.ackDeadline = r.hasAcknowledgement() ? Timestamps.toInstant(r.getAcknowledgement().getDeadline()) : null;
        n.escalationOf = escalationOf;
        n.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Set<Channel> channels = Set.copyOf(r.getChannelsList());
        Uni<Void> work = s.persist(n).call(s::flush).replaceWithVoid();
        if ((channels.contains(Channel.CHANNEL_INBOX) || channels.contains(Channel.CHANNEL_EMAIL))
                && r.getRecipientsCount() > 0) {
            work = work.call(() -> s.createNativeQuery("insert into delivery (notification_id, kind, recipient, address,"
                    + " next_attempt_at, created_at) values (:n, 'RESOLVE', '', '', now(), now())")
                    .setParameter("n", n.id).executeUpdate());
        }
        if (channels.contains(Channel.CHANNEL_WEBHOOK)) {
            // every live webhook whose jurisdiction covers the notification's (national covers all)
            work = work.call(() -> s.createNativeQuery("insert into delivery (notification_id, kind, recipient, address,"
                    + " next_attempt_at, created_at) select :n, 'WEBHOOK', w.id::text, w.url, now(), now() from webhook w"
                    + " where w.deleted_at is null and (w.jurisdiction = :j or w.jurisdiction = 'national')")
                    .setParameter("n", n.id).setParameter("j", n.jurisdiction).executeUpdate());
        }
        if (channels.contains(Channel.CHANNEL_STREAM)) {
            work = work.call(() -> s.createNativeQuery("select 1 from (select pg_advisory_xact_lock(:k)) l", Integer.class)
                    .setParameter("k", STREAM_LOCK).getSingleResult())
                    .call(() -> s.createNativeQuery("insert into stream_event (notification_id, jurisdiction, created_at)"
                            + " values (:n, :j, now())").setParameter("n", n.id).setParameter("j", n.jurisdiction)
                            .executeUpdate());
        }
        return work.call(() -> s.createNativeQuery("NOTIFY " + WorkSignal.CHANNEL).executeUpdate())
                .replaceWith(NotifyResponse.newBuilder().setNotificationId(n.id.toString()).build());
    }

    /**
     * Escalates up to a batch of notifications whose deadline passed with no acknowledgement:
     * a new notification to the escalation target, in one transaction with the mark on the
     * original and an audit entry by the service itself. Returns how many were escalated.
     */
    public Uni<Integer> escalateDue() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(
                "select * from notification n where n.ack_deadline <= now() and n.escalated_at is null"
                        + " and not exists (select 1 from inbox_item i where i.notification_id = n.id"
                        + " and i.acknowledged_at is not null)"
                        + " order by n.ack_deadline limit :limit for update of n skip locked", NotificationEntity.class)
                .setParameter("limit", escalationBatch).getResultList()
                .flatMap(due -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (NotificationEntity n : due) {
                        chain = chain.flatMap(count -> escalate(n).replaceWith(count + 1));
                    }
                    return chain;
                })))
                .invoke(count -> {
                    if (count > 0) {
                        signal.wakeLocal();
                    }
                });
    }

    private Uni<Void> escalate(NotificationEntity n) {
        NotifyRequest original;
        try {
            original = NotifyRequest.parseFrom(n.request);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return Uni.createFrom().failure(new IllegalStateException("notification " + n.id + " is unreadable", e));
        }
        List<Recipient> targets = escalationTargets(original);
        Priority priority = Priority.valueOf(n.priority).getNumber() >= Priority.PRIORITY_HIGH.getNumber()
                ? Priority.valueOf(n.priority) : Priority.PRIORITY_HIGH;
        NotifyRequest.Builder escalation = NotifyRequest.newBuilder()
                .setRequestId("escalation-" + n.id)
                .addAllRecipients(targets)
                .setPriority(priority)
                .setDeduplicationKey("escalation:" + n.id)
                .addChannels(Channel.CHANNEL_INBOX)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(n.jurisdiction))
                .setCategory(n.category)
                .setTitle(truncate("Escalated: " + n.title, 200))
                .setBody(truncate("Not acknowledged by " + n.ackDeadline + " (notification " + n.id + ", sent by "
                        + n.sender + " to " + original.getRecipientsList().stream().map(Recipients::describe)
                                .collect(Collectors.joining(", ")) + ").\n\n" + n.body, 10000))
                .setLink(n.link);
        if (n.hasChannel(Channel.CHANNEL_EMAIL.name())) {
            escalation.addChannels(Channel.CHANNEL_EMAIL);
        }
        n.escalatedAt = Instant.now();
        LOG.infof("escalating notification %s (deadline %s) to %s", n.id, n.ackDeadline,
                targets.stream().map(Recipients::describe).collect(Collectors.joining(", ")));
        return accept(self().subject(), escalation.build(), n.id)
                .call(response -> audit.append(AuditRecord.of(self(),
                        org.exportcontrol.platform.security.Jurisdiction.of(n.jurisdiction), "notification.escalate",
                        "notification/" + n.id, "escalation-" + n.id)
                        .withDigests(null, org.exportcontrol.platform.audit.Digests.sha256Hex(response.getNotificationId()))))
                .replaceWithVoid();
    }

    /**
     * The policy's target, or by default: for each role recipient the same role one level up
     * (any department); at the national level, and for users and enterprises, the national
     * coordinator.
     */
    static List<Recipient> escalationTargets(NotifyRequest original) {
        if (original.getAcknowledgement().hasEscalationTarget()
                && original.getAcknowledgement().getEscalationTarget().getTargetCase() != Recipient.TargetCase.TARGET_NOT_SET) {
            return List.of(original.getAcknowledgement().getEscalationTarget());
        }
        Set<Recipient> targets = new LinkedHashSet<>();
        for (Recipient r : original.getRecipientsList()) {
            if (r.hasRole() && !org.exportcontrol.platform.security.Jurisdiction.NATIONAL_CODE
                    .equals(r.getRole().getJurisdiction().getCode())) {
                targets.add(Recipient.newBuilder().setRole(RoleRecipient.newBuilder().setRole(r.getRole().getRole())
                        .setJurisdiction(Jurisdiction.newBuilder().setCode(
                                org.exportcontrol.platform.security.Jurisdiction.of(r.getRole().getJurisdiction().getCode())
                                        .parent().code()))
                        .setDepartment(Department.DEPARTMENT_UNSPECIFIED)).build());
            } else {
                targets.add(nationalCoordinator());
            }
        }
        if (targets.isEmpty()) {
            targets.add(nationalCoordinator());
        }
        return new ArrayList<>(targets);
    }

    static Recipient nationalCoordinator() {
        return Recipient.newBuilder().setRole(RoleRecipient.newBuilder().setRole(Roles.NATIONAL_COORDINATOR)
                .setJurisdiction(Jurisdiction.newBuilder().setCode("national"))).build();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
