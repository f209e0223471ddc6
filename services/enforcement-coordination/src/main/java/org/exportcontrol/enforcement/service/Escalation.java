package org.exportcontrol.enforcement.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.Severity;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Roles;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Escalation up the chain, under the service's own identity: overdue open case tasks, directive
 * targets not completed by the directive's due date, and open alerts at or above a severity that
 * nobody triaged within an age, are sent to the level above
 * (a province's to the national level; the national level's to the national coordinator) by
 * notification through the outbox, marked and audited. Replicas share the work (SKIP LOCKED).
 */
@ApplicationScoped
public class Escalation {

    private static final Logger LOG = Logger.getLogger(Escalation.class);
    /** Items per kind per pass; the next pass takes the rest. */
    static final int BATCH = 50;

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;

    @ConfigProperty(name = "enforcement.escalation.min-severity")
    Severity minSeverity;
    @ConfigProperty(name = "enforcement.escalation.alert-age")
    Duration alertAge;
    @ConfigProperty(name = "quarkus.oidc-client.client-id")
    String clientId;

    @Scheduled(every = "${enforcement.escalation.every}", delayed = "${enforcement.escalation.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return escalateNow().onFailure().invoke(t -> LOG.warnf("escalation pass failed: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass; returns how many tasks, alerts and directive targets were escalated. Tests call it directly. */
    public Uni<Integer> escalateNow() {
        Caller service = new Caller(clientId, Caller.Kind.SERVICE, Set.of(Roles.NOTIFICATION_SENDER),
                org.exportcontrol.platform.security.Jurisdiction.NATIONAL, Optional.empty(), Optional.empty(), "");
        List<String> severities = new ArrayList<>();
        for (Severity s : Severity.values()) {
            if (s != Severity.UNRECOGNIZED && s.getNumber() >= minSeverity.getNumber()) {
                severities.add(s.name());
            }
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(alertAge);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                select t.id, t.case_id, t.department, t.description, t.due_at, c.lead_jurisdiction, c.title
                  from case_task t join enforcement_case c on c.id = t.case_id
                 where t.state = 'OPEN' and t.escalated_at is null and t.due_at < now() and c.state <> 'CLOSED'
                 order by t.due_at limit %d for update of t skip locked""".formatted(BATCH)).execute()
                .flatMap(tasks -> conn.preparedQuery("""
                        select a.id, a.rule_code, a.rule_version, a.severity, a.jurisdiction, a.subject_id, a.summary
                          from alert a join unnest($1::text[]) s(severity) on s.severity = a.severity
                         where a.state = 'OPEN' and a.escalated_at is null and a.raised_at <= $2
                         order by a.raised_at limit %d for update of a skip locked""".formatted(BATCH))
                        .execute(Tuple.of(severities.toArray(new String[0]), cutoff))
                        .flatMap(alerts -> conn.preparedQuery("""
                                select t.directive_id, t.jurisdiction, t.department, d.title, d.due_at
                                  from directive_target t join directive d on d.id = t.directive_id
                                 where t.completed_at is null and t.escalated_at is null and d.due_at < now()
                                 order by d.due_at limit %d for update of t skip locked""".formatted(BATCH)).execute()
                                .flatMap(directives -> escalate(conn, service, rows(tasks), rows(alerts), rows(directives))))));
    }

    private static List<Row> rows(io.vertx.mutiny.sqlclient.RowSet<Row> set) {
        List<Row> out = new ArrayList<>();
        set.forEach(out::add);
        return out;
    }

    private Uni<Integer> escalate(SqlConnection conn, Caller service, List<Row> tasks, List<Row> alerts,
            List<Row> directives) {
        if (tasks.isEmpty() && alerts.isEmpty() && directives.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Function<String, NotifyRequest>> notes = new ArrayList<>();
        List<AuditRecord> records = new ArrayList<>();
        List<UUID> taskIds = new ArrayList<>();
        List<UUID> alertIds = new ArrayList<>();
        for (Row t : tasks) {
            String jurisdiction = t.getString("lead_jurisdiction");
            UUID caseId = t.getUUID("case_id");
            taskIds.add(t.getUUID("id"));
            notes.add(notify(jurisdiction, "escalation.task-overdue",
                    "Overdue task escalated from " + label(jurisdiction) + ": " + t.getString("title"),
                    t.getString("description") + " (" + t.getString("department") + ", due "
                            + t.getOffsetDateTime("due_at") + ")",
                    "/cases/" + caseId, "escalation.task:" + t.getUUID("id")));
            records.add(AuditRecord.of(service, org.exportcontrol.platform.security.Jurisdiction.of(jurisdiction),
                    "escalation.task-overdue", "case:" + caseId + ":task:" + t.getUUID("id"), null));
        }
        for (Row a : alerts) {
            String jurisdiction = a.getString("jurisdiction");
            alertIds.add(a.getUUID("id"));
            notes.add(notify(jurisdiction, "escalation.alert",
                    "Alert escalated from " + label(jurisdiction) + ": " + a.getString("rule_code") + " (rule set v"
                            + a.getInteger("rule_version") + ") " + a.getString("subject_id"),
                    a.getString("summary"), "/alerts/" + a.getUUID("id"), "escalation.alert:" + a.getUUID("id")));
            records.add(AuditRecord.of(service, org.exportcontrol.platform.security.Jurisdiction.of(jurisdiction),
                    "escalation.alert", "alert:" + a.getUUID("id"), null));
        }
        List<Tuple> directiveTargets = new ArrayList<>();
        for (Row d : directives) {
            String jurisdiction = d.getString("jurisdiction");
            UUID directiveId = d.getUUID("directive_id");
            String department = d.getString("department");
            directiveTargets.add(Tuple.of(directiveId, jurisdiction, department));
            notes.add(notify(jurisdiction, "escalation.directive-overdue",
                    "Directive not completed by " + label(jurisdiction) + ": " + d.getString("title"),
                    "Due " + d.getOffsetDateTime("due_at") + (department.isEmpty() ? "" : " (" + department + ")"),
                    "/directives/" + directiveId, "escalation.directive:" + directiveId + ":" + jurisdiction + ":" + department));
            records.add(AuditRecord.of(service, org.exportcontrol.platform.security.Jurisdiction.of(jurisdiction),
                    "escalation.directive-overdue", "directive:" + directiveId + ":" + jurisdiction, null));
        }
        Uni<Void> marks = conn.preparedQuery("update case_task set escalated_at = now() where id = any($1::uuid[])")
                .execute(Tuple.of(taskIds.toArray(new UUID[0])))
                .chain(() -> conn.preparedQuery("update alert set escalated_at = now() where id = any($1::uuid[])")
                        .execute(Tuple.of(alertIds.toArray(new UUID[0]))))
                .chain(() -> directiveTargets.isEmpty() ? Uni.createFrom().voidItem() : conn.preparedQuery(
                        "update directive_target set escalated_at = now() where directive_id = $1 and jurisdiction = $2"
                                + " and department = $3").executeBatch(directiveTargets).replaceWithVoid())
                .chain(() -> outbox.enqueue(conn, Alerts.NOTIFICATION, NotifyServiceGrpc.getNotifyMethod(), notes));
        // At most 2 x BATCH audit entries, appended one after the other on the same connection.
        for (AuditRecord r : records) {
            marks = marks.chain(() -> audit.append(conn, r)).replaceWithVoid();
        }
        return marks.replaceWith(tasks.size() + alerts.size() + directives.size());
    }

    private static String label(String jurisdiction) {
        return org.exportcontrol.platform.security.Jurisdiction.of(jurisdiction).displayName();
    }

    /** To the level above: a province's to the national level; the national level's to its coordinator. */
    private static Function<String, NotifyRequest> notify(String jurisdiction, String category, String title, String body,
            String link, String dedup) {
        boolean national = org.exportcontrol.platform.security.Jurisdiction.NATIONAL_CODE.equals(jurisdiction);
        Jurisdiction parent = Jurisdiction.newBuilder().setCode(org.exportcontrol.platform.security.Jurisdiction.NATIONAL_CODE).build();
        return id -> {
            NotifyRequest.Builder b = NotifyRequest.newBuilder().setRequestId(id)
                    .addRecipients(Recipient.newBuilder().setRole(RoleRecipient.newBuilder()
                            .setRole(Roles.NATIONAL_COORDINATOR).setJurisdiction(parent)));
            if (!national) {
                b.addRecipients(Recipient.newBuilder().setRole(RoleRecipient.newBuilder()
                        .setRole(Roles.ENFORCEMENT_OFFICER).setJurisdiction(parent)));
            }
            return b.setPriority(Priority.PRIORITY_HIGH).setDeduplicationKey(dedup)
                    .addChannels(Channel.CHANNEL_INBOX).addChannels(Channel.CHANNEL_STREAM)
                    .setJurisdiction(parent).setCategory(category).setTitle(title).setBody(body).setLink(link).build();
        };
    }
}
