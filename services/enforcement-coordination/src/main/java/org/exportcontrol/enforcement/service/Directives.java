package org.exportcontrol.enforcement.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.enforcement.v1.Directive;
import org.exportcontrol.api.enforcement.v1.DirectiveTarget;
import org.exportcontrol.api.enforcement.v1.TargetState;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.api.notification.v1.RoleRecipient;
import org.exportcontrol.enforcement.EnforcementAction;
import org.exportcontrol.enforcement.domain.DirectiveEntity;
import org.exportcontrol.enforcement.domain.DirectiveTargetEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;
import org.exportcontrol.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Directives down the chain, with acknowledgement and completion per target. */
@ApplicationScoped
public class Directives {

    @Inject
    Cases cases;
    @Inject
    AuditLog audit;

    public record Target(Jurisdiction jurisdiction, Department department) {
    }

    /**
     * The national level issues to provinces (or the national departments); a province only to its
     * own departments: never upward (national) nor sideways (another province).
     */
    public Uni<Directive> issue(Caller caller, String title, String body, Instant dueAt, List<Target> targets,
            String requestId) {
        Jurisdiction issuer = caller.jurisdiction();
        for (Target t : targets) {
            boolean downward = issuer.isNational()
                    ? !t.jurisdiction().isNational() || Departments.isDepartment(t.department())
                    : t.jurisdiction().equals(issuer) && Departments.isDepartment(t.department());
            if (!downward) {
                throw ApiErrors.permissionDenied("DIRECTIVE_NOT_DOWNWARD",
                        "%s (%s) may issue directives only down the chain, not to %s%s".formatted(caller.subject(),
                                issuer.code(), t.jurisdiction().code(), Departments.isDepartment(t.department())
                                        ? "/" + Departments.claim(t.department()) : ""));
            }
        }
        DirectiveEntity d = new DirectiveEntity();
        d.id = UUID.randomUUID();
        d.issuerJurisdiction = issuer.code();
        d.issuedBy = caller.subject();
        d.title = title;
        d.body = body;
        d.dueAt = dueAt;
        d.issuedAt = Instant.now();
        List<DirectiveTargetEntity> rows = targets.stream().map(t -> {
            DirectiveTargetEntity e = new DirectiveTargetEntity();
            e.directiveId = d.id;
            e.jurisdiction = t.jurisdiction().code();
            e.department = t.department().name();
            e.state = DirectiveTargetEntity.ISSUED;
            return e;
        }).toList();
        Uni<Void> chain = Panache.getSession().flatMap(s -> s.persist(d).chain(() -> s.persistAll(rows.toArray()))
                .chain(s::flush));
        for (DirectiveTargetEntity t : rows) {
            RoleRecipient.Builder r = RoleRecipient.newBuilder()
                    .setJurisdiction(Cases.jurisdiction(t.jurisdiction));
            if (Department.valueOf(t.department) == Department.DEPARTMENT_UNSPECIFIED) {
                r.setRole(Roles.ENFORCEMENT_OFFICER);
            } else {
                r.setRole(Roles.DEPARTMENT_OFFICER).setDepartment(Department.valueOf(t.department));
            }
            chain = chain.chain(() -> cases.notify(Recipient.newBuilder().setRole(r).build(), t.jurisdiction,
                    Priority.PRIORITY_HIGH, "directive.issued", "Directive: " + title, body, "/directives/" + d.id,
                    "directive:" + d.id + ":" + t.jurisdiction + ":" + t.department));
        }
        return chain.chain(() -> audit.append(AuditRecord.of(caller, issuer,
                EnforcementAction.DIRECTIVE_ISSUE.actionName(), "directive:" + d.id, requestId)))
                .chain(() -> load(d.id));
    }

    public Uni<Directive> get(Caller caller, String id) {
        UUID uuid = Cases.uuid("id", id);
        return load(uuid).map(d -> {
            boolean issuerSide = caller.jurisdiction().covers(Jurisdiction.of(d.getIssuerJurisdiction().getCode()));
            boolean target = d.getTargetsList().stream()
                    .anyMatch(t -> caller.jurisdiction().covers(Jurisdiction.of(t.getJurisdiction().getCode())));
            if (!issuerSide && !target) {
                throw ApiErrors.permissionDenied("OUTSIDE_JURISDICTION", "the directive is not addressed to "
                        + caller.jurisdiction().code());
            }
            return d;
        });
    }

    /** Acknowledges (complete=false) or reports completion (true) for the caller's own target. */
    public Uni<Directive> respond(Caller caller, String id, boolean complete, String report, String requestId) {
        UUID uuid = Cases.uuid("directive_id", id);
        return Panache.getSession().flatMap(s -> s.createSelectionQuery(
                "from DirectiveTargetEntity where directiveId = :d and jurisdiction = :j", DirectiveTargetEntity.class)
                .setParameter("d", uuid).setParameter("j", caller.jurisdiction().code()).getResultList()
                .flatMap(targets -> {
                    DirectiveTargetEntity mine = null;
                    for (DirectiveTargetEntity t : targets) {
                        Department dep = Department.valueOf(t.department);
                        boolean whole = dep == Department.DEPARTMENT_UNSPECIFIED
                                && (caller.hasRole(Roles.ENFORCEMENT_OFFICER) || caller.hasRole(Roles.PROVINCIAL_SUPERVISOR));
                        boolean ownDepartment = dep != Department.DEPARTMENT_UNSPECIFIED
                                && caller.department().map(c -> c.equals(Departments.claim(dep))).orElse(false);
                        if (whole || ownDepartment) {
                            mine = t;
                            break;
                        }
                    }
                    if (mine == null) {
                        return Uni.createFrom().failure(ApiErrors.permissionDenied("NOT_A_DIRECTIVE_TARGET",
                                "directive " + id + " is not addressed to " + caller.subject()));
                    }
                    DirectiveTargetEntity t = mine;
                    if (complete) {
                        if (DirectiveTargetEntity.COMPLETED.equals(t.state)) {
                            return Uni.createFrom().failure(ApiErrors.failedPrecondition("DIRECTIVE_COMPLETED",
                                    "completion was already reported"));
                        }
                        if (t.acknowledgedAt == null) {
                            t.acknowledgedAt = Instant.now();
                            t.acknowledgedBy = caller.subject();
                        }
                        t.state = DirectiveTargetEntity.COMPLETED;
                        t.completedAt = Instant.now();
                        t.completedBy = caller.subject();
                        t.report = report;
                    } else {
                        if (!DirectiveTargetEntity.ISSUED.equals(t.state)) {
                            return Uni.createFrom().failure(ApiErrors.failedPrecondition("DIRECTIVE_ACKNOWLEDGED",
                                    "the directive was already acknowledged"));
                        }
                        t.state = DirectiveTargetEntity.ACKNOWLEDGED;
                        t.acknowledgedAt = Instant.now();
                        t.acknowledgedBy = caller.subject();
                    }
                    return s.flush().chain(() -> audit.append(AuditRecord.of(caller, caller.jurisdiction(),
                            complete ? "directive.complete" : "directive.acknowledge", "directive:" + id, requestId)))
                            .chain(() -> load(uuid));
                }));
    }

    /** A page of directives. */
    public record Page(List<Directive> directives, Long lastSeq, boolean more) {
    }

    /**
     * Directives the caller's level issued or that target its jurisdiction (national: all), in issue
     * order after {@code afterSeq}, each with its targets; the same rule as {@link #get}.
     */
    public Uni<Page> list(Caller caller, long afterSeq, int size) {
        boolean national = caller.jurisdiction().isNational();
        String q = "from DirectiveEntity d where d.seq > :after" + (national ? ""
                : " and (d.issuerJurisdiction = :j or exists (select 1 from DirectiveTargetEntity t"
                        + " where t.directiveId = d.id and t.jurisdiction = :j))")
                + " order by d.seq";
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q, DirectiveEntity.class).setParameter("after", afterSeq);
            if (!national) {
                query.setParameter("j", caller.jurisdiction().code());
            }
            return query.setMaxResults(size + 1).getResultList().flatMap(rows -> {
                List<DirectiveEntity> page = rows.subList(0, Math.min(size, rows.size()));
                if (page.isEmpty()) {
                    return Uni.createFrom().item(new Page(List.of(), null, false));
                }
                List<UUID> ids = page.stream().map(d -> d.id).toList();
                return s.createSelectionQuery("from DirectiveTargetEntity where directiveId in :ids"
                        + " order by jurisdiction, department", DirectiveTargetEntity.class).setParameter("ids", ids)
                        .getResultList().map(targets -> {
                            Map<UUID, List<DirectiveTargetEntity>> byDirective = new HashMap<>();
                            targets.forEach(t -> byDirective.computeIfAbsent(t.directiveId, k -> new ArrayList<>()).add(t));
                            List<Directive> out = page.stream()
                                    .map(d -> toProto(d, byDirective.getOrDefault(d.id, List.of()))).toList();
                            return new Page(out, page.get(page.size() - 1).seq, rows.size() > size);
                        });
            });
        });
    }

    Uni<Directive> load(UUID id) {
        return Panache.getSession().flatMap(s -> s.find(DirectiveEntity.class, id).flatMap(d -> {
            if (d == null) {
                return Uni.createFrom().failure(ApiErrors.notFound("directive", id.toString()));
            }
            return s.createSelectionQuery("from DirectiveTargetEntity where directiveId = :d order by jurisdiction, department",
                    DirectiveTargetEntity.class).setParameter("d", id).getResultList().map(targets -> toProto(d, targets));
        }));
    }

    private static Directive toProto(DirectiveEntity d, List<DirectiveTargetEntity> targets) {
        Directive.Builder b = Directive.newBuilder().setId(d.id.toString())
                .setIssuerJurisdiction(Cases.jurisdiction(d.issuerJurisdiction)).setIssuedBy(d.issuedBy)
                .setTitle(d.title).setBody(d.body).setIssuedAt(Timestamps.of(d.issuedAt));
        if (d.dueAt != null) {
            b.setDueAt(Timestamps.of(d.dueAt));
        }
        int completed = 0;
        for (DirectiveTargetEntity t : targets) {
            DirectiveTarget.Builder tb = DirectiveTarget.newBuilder()
                    .setJurisdiction(Cases.jurisdiction(t.jurisdiction))
                    .setDepartment(Department.valueOf(t.department))
                    .setState(TargetState.valueOf("TARGET_STATE_" + t.state))
                    .setAcknowledgedBy(t.acknowledgedBy).setCompletedBy(t.completedBy).setReport(t.report);
            if (t.acknowledgedAt != null) {
                tb.setAcknowledgedAt(Timestamps.of(t.acknowledgedAt));
            }
            if (t.completedAt != null) {
                tb.setCompletedAt(Timestamps.of(t.completedAt));
                completed++;
            }
            b.addTargets(tb);
        }
        return b.setCompletedTargets(completed).build();
    }
}
