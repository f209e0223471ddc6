package org.exportcontrol.enforcement.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.Case;
import org.exportcontrol.api.enforcement.v1.CaseNote;
import org.exportcontrol.api.enforcement.v1.CaseOutcome;
import org.exportcontrol.api.enforcement.v1.CaseState;
import org.exportcontrol.api.enforcement.v1.CaseTask;
import org.exportcontrol.api.enforcement.v1.TaskState;
import org.exportcontrol.api.licensing.v1.LicenceServiceGrpc;
import org.exportcontrol.api.licensing.v1.RequestLicenceSuspensionRequest;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.domain.AlertEntity;
import org.exportcontrol.enforcement.domain.CaseEntity;
import org.exportcontrol.enforcement.domain.CaseNoteEntity;
import org.exportcontrol.enforcement.domain.CaseTaskEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.outbox.Outbox;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Roles;

import com.google.protobuf.InvalidProtocolBufferException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Joint cases: opened from alerts, tasks for departments, notes, outcome, closing with approval. */
@ApplicationScoped
public class Cases {

    public static final String LICENSING = "licensing";

    @Inject
    Alerts alerts;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;

    public Uni<Case> open(Caller caller, String alertId, String title, Department lead, List<Department> participating,
            String requestId) {
        return alerts.find(caller, EnforcementAction.CASE_OPEN, alertId).flatMap(alert -> {
            if (!AlertEntity.OPEN.equals(alert.state)) {
                return Uni.createFrom().failure(ApiErrors.failedPrecondition("ALERT_NOT_OPEN",
                        "alert " + alertId + " is " + alert.state));
            }
            alert.state = AlertEntity.CASE_OPENED;
            CaseEntity c = new CaseEntity();
            c.id = UUID.randomUUID();
            c.alertId = alert.id;
            c.title = title.isBlank() ? alert.ruleCode + ": " + alert.subjectId : title;
            c.leadJurisdiction = alert.jurisdiction;
            c.leadDepartment = lead.name();
            Set<String> parts = new LinkedHashSet<>();
            participating.forEach(d -> parts.add(d.name()));
            c.participating = String.join(",", parts);
            c.state = CaseEntity.OPEN;
            c.openedBy = caller.subject();
            c.openedAt = Instant.now();
            CaseNoteEntity n = note(c.id, caller.subject(), "Opened from alert " + alert.id + " (" + alert.ruleCode
                    + ", rule set v" + alert.ruleVersion + "): " + alert.summary,
                    List.of(alert.evidenceIds.split("\n")));
            return Panache.getSession().flatMap(s -> s.persist(c).chain(() -> s.persist(n)).chain(s::flush))
                    .chain(() -> auditCase(caller, c, EnforcementAction.CASE_OPEN.actionName(), requestId))
                    .chain(() -> load(c.id));
        });
    }

    public Uni<Case> get(Caller caller, String id) {
        return find(caller, EnforcementAction.CASE_READ, id).flatMap(c -> load(c.id));
    }

    public Uni<List<CaseEntity>> list(Caller caller, CaseState state, long after, int limit) {
        boolean national = caller.jurisdiction().isNational();
        boolean byState = state != CaseState.CASE_STATE_UNSPECIFIED;
        String q = "from CaseEntity where seq > :after" + (national ? "" : " and leadJurisdiction = :j")
                + (byState ? " and state = :state" : "") + " order by seq";
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q, CaseEntity.class).setParameter("after", after);
            if (!national) {
                query.setParameter("j", caller.jurisdiction().code());
            }
            if (byState) {
                query.setParameter("state", state.name().substring("CASE_STATE_".length()));
            }
            return query.setMaxResults(limit).getResultList();
        });
    }

    public Uni<List<Case>> protos(List<CaseEntity> list) {
        Uni<List<Case>> out = Uni.createFrom().item(new ArrayList<>());
        for (CaseEntity c : list) {
            out = out.flatMap(acc -> load(c.id).map(p -> {
                acc.add(p);
                return acc;
            }));
        }
        return out;
    }

    public Uni<AssignedTask> assignTask(Caller caller, String caseId, Department department, String description,
            Instant dueAt, String requestId) {
        return open(caller, EnforcementAction.CASE_WORK, caseId).flatMap(c -> {
            CaseTaskEntity t = new CaseTaskEntity();
            t.id = UUID.randomUUID();
            t.caseId = c.id;
            t.department = department.name();
            t.description = description;
            t.dueAt = dueAt;
            t.state = CaseTaskEntity.OPEN;
            t.createdAt = Instant.now();
            if (!c.participating.contains(department.name()) && !c.leadDepartment.equals(department.name())) {
                c.participating = c.participating.isEmpty() ? department.name() : c.participating + "," + department.name();
            }
            return Panache.getSession().flatMap(s -> s.persist(t).chain(s::flush))
                    .chain(() -> notify(Recipient.newBuilder().setRole(RoleRecipient.newBuilder()
                            .setRole(Roles.DEPARTMENT_OFFICER).setJurisdiction(jurisdiction(c.leadJurisdiction))
                            .setDepartment(department)).build(), c.leadJurisdiction, Priority.PRIORITY_HIGH,
                            "case.task-assigned", "Task for " + Departments.claim(department) + ": " + c.title,
                            description + " (due " + dueAt + ")", "/cases/" + c.id, "case.task:" + t.id))
                    .chain(() -> auditCase(caller, c, "case.assign-task", requestId))
                    .chain(() -> load(c.id)).map(p -> new AssignedTask(p, t.id.toString()));
        });
    }

    public record AssignedTask(Case kase, String taskId) {
    }

    public Uni<Case> completeTask(Caller caller, String caseId, String taskId, String result, String requestId) {
        return open(caller, EnforcementAction.TASK_COMPLETE, caseId).flatMap(c -> Panache.getSession()
                .flatMap(s -> s.find(CaseTaskEntity.class, uuid("task_id", taskId))).flatMap(t -> {
                    if (t == null || !t.caseId.equals(c.id)) {
                        return Uni.createFrom().failure(ApiErrors.notFound("task", taskId));
                    }
                    boolean departmentOfficerOnly = !caller.hasRole(Roles.ENFORCEMENT_OFFICER)
                            && !caller.hasRole(Roles.NATIONAL_COORDINATOR);
                    if (departmentOfficerOnly && !caller.department()
                            .map(d -> d.equals(Departments.claim(Department.valueOf(t.department)))).orElse(false)) {
                        return Uni.createFrom().failure(ApiErrors.permissionDenied("NOT_THE_TASK_DEPARTMENT",
                                "the task is assigned to " + Departments.claim(Department.valueOf(t.department))));
                    }
                    if (!CaseTaskEntity.OPEN.equals(t.state)) {
                        return Uni.createFrom().failure(ApiErrors.failedPrecondition("TASK_NOT_OPEN", "task is done"));
                    }
                    t.state = CaseTaskEntity.DONE;
                    t.result = result;
                    t.completedBy = caller.subject();
                    return Panache.getSession().flatMap(s -> s.flush())
                            .chain(() -> auditCase(caller, c, EnforcementAction.TASK_COMPLETE.actionName(), requestId))
                            .chain(() -> load(c.id));
                }));
    }

    public Uni<Case> addNote(Caller caller, String caseId, String text, List<String> evidence, String requestId) {
        return open(caller, EnforcementAction.CASE_WORK, caseId).flatMap(c -> {
            CaseNoteEntity n = note(c.id, caller.subject(), text, evidence);
            return Panache.getSession().flatMap(s -> s.persist(n).chain(s::flush))
                    .chain(() -> auditCase(caller, c, "case.add-note", requestId))
                    .chain(() -> load(c.id));
        });
    }

    public Uni<Case> recordOutcome(Caller caller, String caseId, CaseOutcome outcome, String requestId) {
        return open(caller, EnforcementAction.CASE_WORK, caseId).flatMap(c -> {
            c.outcome = outcome.toByteArray();
            Uni<Void> revoke = outcome.getRevokeLicenceNumber().isEmpty() ? Uni.createFrom().voidItem()
                    : outbox.enqueue(LICENSING, LicenceServiceGrpc.getRequestLicenceSuspensionMethod(),
                            id -> RequestLicenceSuspensionRequest.newBuilder().setRequestId(id)
                                    .setLicenceNumber(outcome.getRevokeLicenceNumber()).setCaseId(c.id.toString())
                                    .setReason("Enforcement case " + c.id + " (" + c.title + "): "
                                            + (outcome.getSummary().isBlank() ? "revocation requested" : outcome.getSummary()))
                                    .setRevocationRequested(true).build()).replaceWithVoid();
            return Panache.getSession().flatMap(s -> s.flush()).chain(() -> revoke)
                    .chain(() -> auditCase(caller, c, "case.record-outcome", requestId))
                    .chain(() -> load(c.id));
        });
    }

    public Uni<Case> proposeClosing(Caller caller, String caseId, String reason, String requestId) {
        return open(caller, EnforcementAction.CASE_WORK, caseId).flatMap(c -> {
            if (c.outcome == null) {
                return Uni.createFrom().failure(ApiErrors.failedPrecondition("OUTCOME_REQUIRED",
                        "record the case's outcome before proposing to close it"));
            }
            c.state = CaseEntity.CLOSING_PROPOSED;
            c.closingProposedBy = caller.subject();
            CaseNoteEntity n = note(c.id, caller.subject(), "Closing proposed: " + reason, List.of());
            return Panache.getSession().flatMap(s -> s.persist(n).chain(s::flush))
                    .chain(() -> notify(Recipient.newBuilder().setRole(RoleRecipient.newBuilder()
                            .setRole(Roles.PROVINCIAL_SUPERVISOR).setJurisdiction(jurisdiction(c.leadJurisdiction))).build(),
                            c.leadJurisdiction, Priority.PRIORITY_NORMAL, "case.closing-proposed",
                            "Closing proposed: " + c.title, reason, "/cases/" + c.id, "case.closing:" + c.id + ":" + requestId))
                    .chain(() -> auditCase(caller, c, "case.propose-closing", requestId))
                    .chain(() -> load(c.id));
        });
    }

    public Uni<Case> decideClosing(Caller caller, String caseId, boolean approve, String reason, String requestId) {
        return find(caller, EnforcementAction.CASE_DECIDE_CLOSING, caseId).flatMap(c -> {
            if (!CaseEntity.CLOSING_PROPOSED.equals(c.state)) {
                return Uni.createFrom().failure(ApiErrors.failedPrecondition("CLOSING_NOT_PROPOSED",
                        "case " + caseId + " is " + c.state));
            }
            if (c.closingProposedBy.equals(caller.subject())) {
                return Uni.createFrom().failure(ApiErrors.permissionDenied("PROPOSER_CANNOT_APPROVE",
                        "the person who proposed the closing cannot decide it"));
            }
            if (approve) {
                c.state = CaseEntity.CLOSED;
                c.closingApprovedBy = caller.subject();
                c.closedAt = Instant.now();
            } else {
                c.state = CaseEntity.OPEN;
            }
            CaseNoteEntity n = note(c.id, caller.subject(), (approve ? "Closing approved" : "Closing refused")
                    + (reason.isBlank() ? "" : ": " + reason), List.of());
            return Panache.getSession().flatMap(s -> s.persist(n).chain(s::flush))
                    .chain(() -> auditCase(caller, c, approve ? "case.approve-closing" : "case.refuse-closing", requestId))
                    .chain(() -> load(c.id));
        });
    }

    /** The case, with the action checked against its lead jurisdiction. */
    Uni<CaseEntity> find(Caller caller, EnforcementAction action, String id) {
        UUID uuid = uuid("id", id);
        return Panache.getSession().flatMap(s -> s.find(CaseEntity.class, uuid)).map(c -> {
            if (c == null) {
                throw ApiErrors.notFound("case", id);
            }
            AccessControl.check(caller, action, org.exportcontrol.platform.security.Jurisdiction.of(c.leadJurisdiction));
            return c;
        });
    }

    /** An open (not closed, not awaiting a closing decision) case. */
    private Uni<CaseEntity> open(Caller caller, EnforcementAction action, String id) {
        return find(caller, action, id).map(c -> {
            if (!CaseEntity.OPEN.equals(c.state)) {
                throw ApiErrors.failedPrecondition("CASE_NOT_OPEN", "case " + id + " is " + c.state);
            }
            return c;
        });
    }

    static UUID uuid(String field, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiErrors.invalidArgument(field, "is not an id of this service");
        }
    }

    private static CaseNoteEntity note(UUID caseId, String author, String text, List<String> evidence) {
        CaseNoteEntity n = new CaseNoteEntity();
        n.id = UUID.randomUUID();
        n.caseId = caseId;
        n.author = author;
        n.text = text;
        n.evidenceIds = String.join("\n", evidence);
        n.addedAt = Instant.now();
        return n;
    }

    private Uni<Void> auditCase(Caller caller, CaseEntity c, String action, String requestId) {
        return audit.append(AuditRecord.of(caller, org.exportcontrol.platform.security.Jurisdiction.of(c.leadJurisdiction),
                action, "case:" + c.id, requestId)).replaceWithVoid();
    }

    Uni<Void> notify(Recipient recipient, String jurisdiction, Priority priority, String category, String title,
            String body, String link, String dedup) {
        return outbox.enqueue(Alerts.NOTIFICATION, NotifyServiceGrpc.getNotifyMethod(), id -> NotifyRequest.newBuilder()
                .setRequestId(id).addRecipients(recipient).setPriority(priority).setDeduplicationKey(dedup)
                .addChannels(Channel.CHANNEL_INBOX).addChannels(Channel.CHANNEL_STREAM).addChannels(Channel.CHANNEL_EMAIL)
                .setJurisdiction(jurisdiction(jurisdiction)).setCategory(category).setTitle(title).setBody(body)
                .setLink(link).build()).replaceWithVoid();
    }

    static Jurisdiction jurisdiction(String code) {
        return Jurisdiction.newBuilder().setCode(code).build();
    }

    /** The case with its tasks and notes. */
    public Uni<Case> load(UUID id) {
        return Panache.getSession().flatMap(s -> s.find(CaseEntity.class, id).flatMap(c -> s
                .createSelectionQuery("from CaseTaskEntity where caseId = :c order by createdAt, id", CaseTaskEntity.class)
                .setParameter("c", id).getResultList()
                .flatMap(tasks -> s.createSelectionQuery("from CaseNoteEntity where caseId = :c order by addedAt, id",
                        CaseNoteEntity.class).setParameter("c", id).getResultList()
                        .map(notes -> toProto(c, tasks, notes)))));
    }

    static Case toProto(CaseEntity c, List<CaseTaskEntity> tasks, List<CaseNoteEntity> notes) {
        Case.Builder b = Case.newBuilder().setId(c.id.toString())
                .setAlertId(c.alertId == null ? "" : c.alertId.toString()).setTitle(c.title)
                .setLeadJurisdiction(jurisdiction(c.leadJurisdiction))
                .setLeadDepartment(Department.valueOf(c.leadDepartment))
                .setState(CaseState.valueOf("CASE_STATE_" + c.state)).setOpenedBy(c.openedBy)
                .setOpenedAt(Timestamps.of(c.openedAt)).setClosingProposedBy(c.closingProposedBy)
                .setClosingApprovedBy(c.closingApprovedBy);
        if (!c.participating.isEmpty()) {
            Arrays.stream(c.participating.split(",")).forEach(d -> b.addParticipatingDepartments(Department.valueOf(d)));
        }
        if (c.closedAt != null) {
            b.setClosedAt(Timestamps.of(c.closedAt));
        }
        if (c.outcome != null) {
            try {
                b.setOutcome(CaseOutcome.parseFrom(c.outcome));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        for (CaseTaskEntity t : tasks) {
            CaseTask.Builder tb = CaseTask.newBuilder().setId(t.id.toString()).setDepartment(Department.valueOf(t.department))
                    .setDescription(t.description).setDueAt(Timestamps.of(t.dueAt))
                    .setState(CaseTaskEntity.OPEN.equals(t.state) ? TaskState.TASK_STATE_OPEN : TaskState.TASK_STATE_DONE)
                    .setResult(t.result).setCompletedBy(t.completedBy);
            if (t.escalatedAt != null) {
                tb.setEscalatedAt(Timestamps.of(t.escalatedAt));
            }
            b.addTasks(tb);
        }
        for (CaseNoteEntity n : notes) {
            CaseNote.Builder nb = CaseNote.newBuilder().setAuthor(n.author).setText(n.text).setAddedAt(Timestamps.of(n.addedAt));
            for (String e : n.evidenceIds.split("\n")) {
                if (!e.isEmpty()) {
                    nb.addEvidenceIds(e);
                }
            }
            b.addNotes(nb);
        }
        return b.build();
    }
}
