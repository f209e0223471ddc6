package org.exportcontrol.enforcement.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.enforcement.v1.AlertState;
import org.exportcontrol.api.enforcement.v1.Severity;
import org.exportcontrol.api.enforcement.v1.Subject;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.domain.AlertEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Alerts: raised (or folded into an open window) by rules, listed and triaged in a jurisdiction. */
@ApplicationScoped
public class Alerts {

    public static final String NOTIFICATION = "notification";

    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;
    @Inject
    Pool pool;

    /** What a rule found about a subject. */
    public record Finding(EffectiveRule rule, String subjectType, String subjectId, String jurisdiction,
            String summary, List<String> evidence, Instant at) {
    }

    /**
     * Raises an alert for the finding, or folds it into the alert that the same rule raised about
     * the same subject in the same jurisdiction whose window is still open. Joins the transaction.
     * Returns the alert id and whether it is new.
     */
    public Uni<AlertEntity> raiseOrFold(Caller sender, Finding f, String requestId) {
        String key = f.rule().code() + "|" + f.subjectType() + "|" + f.subjectId() + "|" + f.jurisdiction();
        return Panache.getSession().flatMap(s -> s
                .createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext(:k))) x", Integer.class)
                .setParameter("k", key).getSingleResult()
                .chain(() -> s.createSelectionQuery("from AlertEntity where ruleCode = :c and subjectType = :t"
                        + " and subjectId = :i and jurisdiction = :j and windowEndsAt > :at order by raisedAt desc",
                        AlertEntity.class)
                        .setParameter("c", f.rule().code()).setParameter("t", f.subjectType())
                        .setParameter("i", f.subjectId()).setParameter("j", f.jurisdiction()).setParameter("at", f.at())
                        .setMaxResults(1).getResultList())
                .flatMap(found -> {
                    if (!found.isEmpty()) {
                        AlertEntity a = found.get(0);
                        Set<String> evidence = new LinkedHashSet<>(List.of(a.evidenceIds.split("\n")));
                        evidence.addAll(f.evidence());
                        a.evidenceIds = String.join("\n", evidence);
                        a.signalCount++;
                        if (f.at().isAfter(a.lastSignalAt)) {
                            a.lastSignalAt = f.at();
                        }
                        return s.flush().replaceWith(a);
                    }
                    AlertEntity a = new AlertEntity();
                    a.id = UUID.randomUUID();
                    a.ruleCode = f.rule().code();
                    a.ruleVersion = f.rule().version();
                    a.tightenedBy = f.rule().tightenedBy();
                    a.severity = f.rule().rule().severity;
                    a.jurisdiction = f.jurisdiction();
                    a.subjectType = f.subjectType();
                    a.subjectId = f.subjectId();
                    a.state = AlertEntity.OPEN;
                    a.evidenceIds = String.join("\n", new LinkedHashSet<>(f.evidence()));
                    a.signalCount = 1;
                    a.summary = f.summary();
                    a.raisedAt = Instant.now();
                    a.lastSignalAt = f.at();
                    a.windowEndsAt = f.at().plus(Duration.ofHours(f.rule().rule().windowHours));
                    return s.persist(a).chain(s::flush)
                            .chain(() -> notifyOfficers(a))
                            .chain(() -> audit.append(AuditRecord.of(sender,
                                    org.exportcontrol.platform.security.Jurisdiction.of(a.jurisdiction), "alert.raise",
                                    "alert:" + a.id, requestId)))
                            .replaceWith(a);
                }));
    }

    private Uni<Void> notifyOfficers(AlertEntity a) {
        Priority priority = switch (a.severity) {
            case "SEVERITY_CRITICAL" -> Priority.PRIORITY_URGENT;
            case "SEVERITY_HIGH" -> Priority.PRIORITY_HIGH;
            default -> Priority.PRIORITY_NORMAL;
        };
        return outbox.enqueue(NOTIFICATION, NotifyServiceGrpc.getNotifyMethod(), id -> NotifyRequest.newBuilder()
                .setRequestId(id)
                .addRecipients(Recipient.newBuilder().setRole(RoleRecipient.newBuilder()
                        .setRole(Roles.ENFORCEMENT_OFFICER).setJurisdiction(Jurisdiction.newBuilder().setCode(a.jurisdiction))))
                .setPriority(priority)
                .setDeduplicationKey("alert.raised:" + a.id)
                .addChannels(Channel.CHANNEL_INBOX).addChannels(Channel.CHANNEL_STREAM).addChannels(Channel.CHANNEL_EMAIL)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(a.jurisdiction))
                .setCategory("alert.raised")
                .setTitle(a.ruleCode + " (rule set v" + a.ruleVersion + "): " + a.subjectId)
                .setBody(a.summary)
                .setLink("/alerts/" + a.id)
                .build()).replaceWithVoid();
    }

    /** One page of a listing: the alerts, and each one's position in the listing (seq, for the next page's token). */
    public record Page(List<Alert> alerts, List<Long> seqs) {
    }

    /**
     * Alerts after {@code afterSeq} in seq order, of one jurisdiction (the caller's access was
     * checked for it) or of every one ({@code jurisdiction} null, national callers only).
     * The listing is the UI's most frequent read, so it goes straight from rows to protobuf on
     * the reactive SQL client: no Hibernate session, no entities, no dirty-check snapshots.
     */
    public Uni<Page> list(String jurisdiction, AlertState state, long afterSeq, int limit) {
        StringBuilder q = new StringBuilder("select id, seq, rule_code, rule_version, tightened_by, severity, jurisdiction,"
                + " subject_type, subject_id, state, evidence_ids, signal_count, summary, raised_at, last_signal_at,"
                + " dismiss_reason, dismissed_by from alert where seq > $1");
        Tuple args = Tuple.of(afterSeq);
        if (jurisdiction != null) {
            args.addString(jurisdiction);
            q.append(" and jurisdiction = $").append(args.size());
        }
        if (state != AlertState.ALERT_STATE_UNSPECIFIED) {
            args.addString(state.name().substring("ALERT_STATE_".length()));
            q.append(" and state = $").append(args.size());
        }
        args.addInteger(limit);
        q.append(" order by seq limit $").append(args.size());
        return pool.preparedQuery(q.toString()).execute(args).map(rows -> {
            List<Alert> alerts = new java.util.ArrayList<>(rows.size());
            List<Long> seqs = new java.util.ArrayList<>(rows.size());
            for (Row r : rows) {
                alerts.add(toProto(r));
                seqs.add(r.getLong("seq"));
            }
            return new Page(alerts, seqs);
        });
    }

    /** The same message as {@link #toProto(AlertEntity)}, from a row of {@link #list}. */
    private static Alert toProto(Row r) {
        return toProto(r.getUUID("id").toString(), r.getString("rule_code"), r.getInteger("rule_version"),
                r.getString("tightened_by"), r.getString("severity"), r.getString("jurisdiction"), r.getString("subject_type"),
                r.getString("subject_id"), r.getString("state"), r.getInteger("signal_count"), r.getString("summary"),
                r.getOffsetDateTime("raised_at").toInstant(), r.getOffsetDateTime("last_signal_at").toInstant(),
                r.getString("dismiss_reason"), r.getString("dismissed_by"), r.getString("evidence_ids"));
    }

    public Uni<AlertEntity> find(Caller caller, EnforcementAction action, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiErrors.invalidArgument("id", "must be an alert id"));
        }
        return Panache.getSession().flatMap(s -> s.find(AlertEntity.class, uuid)).map(a -> {
            if (a == null) {
                throw ApiErrors.notFound("alert", id);
            }
            AccessControl.check(caller, action, org.exportcontrol.platform.security.Jurisdiction.of(a.jurisdiction));
            return a;
        });
    }

    public Uni<Alert> dismiss(Caller caller, String id, String reason, String requestId) {
        return find(caller, EnforcementAction.ALERT_TRIAGE, id).flatMap(a -> {
            if (!AlertEntity.OPEN.equals(a.state)) {
                return Uni.createFrom().failure(ApiErrors.failedPrecondition("ALERT_NOT_OPEN",
                        "alert " + id + " is " + a.state));
            }
            a.state = AlertEntity.DISMISSED;
            a.dismissReason = reason;
            a.dismissedBy = caller.subject();
            return Panache.getSession().flatMap(s -> s.flush())
                    .chain(() -> audit.append(AuditRecord.of(caller,
                            org.exportcontrol.platform.security.Jurisdiction.of(a.jurisdiction),
                            EnforcementAction.ALERT_TRIAGE.actionName() + ":dismiss", "alert:" + a.id, requestId)))
                    .map(x -> toProto(a));
        });
    }

    public static Alert toProto(AlertEntity a) {
        return toProto(a.id.toString(), a.ruleCode, a.ruleVersion, a.tightenedBy, a.severity, a.jurisdiction, a.subjectType,
                a.subjectId, a.state, a.signalCount, a.summary, a.raisedAt, a.lastSignalAt, a.dismissReason, a.dismissedBy,
                a.evidenceIds);
    }

    private static Alert toProto(String id, String ruleCode, int ruleVersion, String tightenedBy, String severity,
            String jurisdiction, String subjectType, String subjectId, String state, int signalCount, String summary,
            Instant raisedAt, Instant lastSignalAt, String dismissReason, String dismissedBy, String evidenceIds) {
        Alert.Builder b = Alert.newBuilder().setId(id).setRuleCode(ruleCode).setRuleVersion(ruleVersion)
                .setTightenedBy(tightenedBy).setSeverity(Severity.valueOf(severity))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .setSubject(Subject.newBuilder().setType(SubjectType.valueOf(subjectType)).setId(subjectId))
                .setState(AlertState.valueOf("ALERT_STATE_" + (AlertEntity.OPEN.equals(state) ? "OPEN"
                        : AlertEntity.DISMISSED.equals(state) ? "DISMISSED" : "CASE_OPENED")))
                .setSignalCount(signalCount).setSummary(summary)
                .setRaisedAt(Timestamps.of(raisedAt)).setLastSignalAt(Timestamps.of(lastSignalAt))
                .setDismissReason(dismissReason).setDismissedBy(dismissedBy);
        for (String e : evidenceIds.split("\n")) {
            if (!e.isEmpty()) {
                b.addEvidenceIds(e);
            }
        }
        return b.build();
    }
}
