package org.exportcontrol.licensing.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.exportcontrol.api.common.v1.Department;
import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.licensing.v1.Advice;
import org.exportcontrol.api.licensing.v1.Application;
import org.exportcontrol.api.licensing.v1.ApplicationContent;
import org.exportcontrol.api.licensing.v1.ApplicationLine;
import org.exportcontrol.api.licensing.v1.ApplicationState;
import org.exportcontrol.api.licensing.v1.Consultation;
import org.exportcontrol.api.licensing.v1.Decision;
import org.exportcontrol.api.licensing.v1.InformationRequest;
import org.exportcontrol.api.licensing.v1.LicenceType;
import org.exportcontrol.api.licensing.v1.ScreeningHit;
import org.exportcontrol.licensing.LicensingAction;
import org.exportcontrol.licensing.domain.ApplicationEntity;
import org.exportcontrol.licensing.domain.ApplicationEntity.State;
import org.exportcontrol.licensing.domain.ConsultationEntity;
import org.exportcontrol.licensing.domain.ControlItemEntity;
import org.exportcontrol.licensing.domain.EmbargoedDestinationEntity;
import org.exportcontrol.licensing.domain.EnterpriseEntity;
import org.exportcontrol.licensing.domain.HolidayEntity;
import org.exportcontrol.licensing.domain.InformationRequestEntity;
import org.exportcontrol.licensing.domain.LicenceEntity;
import org.exportcontrol.licensing.domain.LicenceLineEntity;
import org.exportcontrol.licensing.domain.ScreeningHitEntity;
import org.exportcontrol.licensing.domain.WorkingDays;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.identifiers.ChinaTime;
import org.exportcontrol.platform.identifiers.Dates;
import org.exportcontrol.platform.security.Caller;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The review chain of licence applications. Every method runs inside the transaction the
 * request's idempotency opened, so the change, its audit entry and its outbox messages commit
 * together.
 */
@ApplicationScoped
public class ApplicationService {

    @ConfigProperty(name = "licensing.review.working-days", defaultValue = "45")
    int reviewWorkingDays;

    @Inject
    AuditLog audit;
    @Inject
    ScreeningService screening;
    @Inject
    Outgoing outgoing;

    // ---- create and submit -------------------------------------------------------------------

    public Uni<Application> create(Caller caller, ApplicationContent content, String requestId) {
        return session().flatMap(s -> s.find(EnterpriseEntity.class, content.getExporterCreditCode())
                .flatMap(enterprise -> checkAgainstLists(s, content, enterprise)
                        .replaceWith(enterprise))
                .flatMap(enterprise -> {
                    Scopes.enterprise(caller, LicensingAction.APPLICATION_PREPARE, enterprise.provinceCode,
                            enterprise.creditCode);
                    return s.createNativeQuery("select nextval('application_number')", Long.class).getSingleResult()
                            .flatMap(n -> {
                                ApplicationEntity a = new ApplicationEntity();
                                a.id = "APP-%d-%06d".formatted(ChinaTime.today().getYear(), n);
                                a.state = State.DRAFT.name();
                                a.jurisdiction = enterprise.provinceCode;
                                a.exporterCreditCode = enterprise.creditCode;
                                a.content = content.toByteArray();
                                a.createdBy = caller.subject();
                                a.createdAt = Instant.now();
                                return s.persist(a)
                                        .chain(() -> record(caller, a, "application.create", requestId, null))
                                        .chain(() -> load(s, a.id));
                            });
                }));
    }

    public Uni<Application> submit(Caller caller, String id, String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.enterprise(caller, LicensingAction.APPLICATION_PREPARE, a.jurisdiction, a.exporterCreditCode);
            requireState(a, State.DRAFT);
            ApplicationContent content = content(a);
            Validation v = new Validation();
            ContentRules.complete(content, v);
            v.throwIfInvalid();
            return s.find(EnterpriseEntity.class, a.exporterCreditCode)
                    .flatMap(enterprise -> checkAgainstLists(s, content, enterprise))
                    .chain(() -> s.find(EmbargoedDestinationEntity.class, content.getDestinationCountryCode()))
                    .flatMap(embargo -> {
                        if (embargo != null) {
                            return Uni.createFrom().failure(ApiErrors.failedPrecondition("DESTINATION_EMBARGOED",
                                    "exports to " + embargo.countryCode + " are embargoed: " + embargo.reason,
                                    Map.of("destination", embargo.countryCode)));
                        }
                        return screening.screen(a.id, content.getConsignee(), content.getEndUser());
                    })
                    .flatMap(hits -> workingDays(s).flatMap(calendar -> {
                        String before = a.state;
                        a.state = State.PROVINCIAL_REVIEW.name();
                        a.submittedAt = Instant.now();
                        a.dueDate = calendar.plus(ChinaTime.today(), reviewWorkingDays);
                        Uni<Void> persistHits = hits.isEmpty() ? Uni.createFrom().voidItem()
                                : s.persistAll(hits.toArray());
                        return persistHits.chain(() -> record(caller, a, "application.submit", requestId, before))
                                .chain(() -> load(s, a.id));
                    }));
        }));
    }

    // ---- review ------------------------------------------------------------------------------

    public Uni<Application> reviewProvincially(Caller caller, String id, Decision decision, String reasons,
            String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.provincial(caller, LicensingAction.APPLICATION_REVIEW_PROVINCIAL, a.jurisdiction);
            requireState(a, State.PROVINCIAL_REVIEW);
            String before = a.state;
            if (decision == Decision.DECISION_APPROVE) {
                a.state = State.NATIONAL_REVIEW.name();
                a.provincialReviewer = caller.subject();
                return record(caller, a, "application.review-provincially.forward", requestId, before)
                        .chain(() -> load(s, a.id));
            }
            a.state = State.REFUSED.name();
            a.provincialReviewer = caller.subject();
            a.decidedBy = caller.subject();
            a.decisionReasons = reasons;
            return record(caller, a, "application.review-provincially.refuse", requestId, before)
                    .chain(() -> tellExporter(a, "application.refused", "Application " + a.id + " refused",
                            "Your application " + a.id + " was refused at provincial review: " + reasons))
                    .chain(() -> load(s, a.id));
        }));
    }

    public Uni<Application> requestInformation(Caller caller, String id, String question, String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            if (a.inState(State.PROVINCIAL_REVIEW)) {
                Scopes.provincial(caller, LicensingAction.APPLICATION_REQUEST_INFORMATION, a.jurisdiction);
            } else if (a.inState(State.NATIONAL_REVIEW)) {
                Scopes.national(caller, LicensingAction.APPLICATION_REQUEST_INFORMATION);
            } else {
                throw wrongState(a, "PROVINCIAL_REVIEW or NATIONAL_REVIEW");
            }
            return s.createSelectionQuery("select count(*) from InformationRequestEntity where applicationId = :id",
                    Long.class).setParameter("id", a.id).getSingleResult().flatMap(count -> {
                        InformationRequestEntity r = new InformationRequestEntity();
                        r.applicationId = a.id;
                        r.number = count.intValue() + 1;
                        r.question = question;
                        r.askedBy = caller.subject();
                        r.askedAt = Instant.now();
                        String before = a.state;
                        a.state = State.INFORMATION_REQUESTED.name();
                        a.pausedOn = ChinaTime.today();
                        return s.persist(r)
                                .chain(() -> record(caller, a, "application.request-information", requestId, before))
                                .chain(() -> tellExporter(a, "application.information-requested",
                                        "Information requested on " + a.id, question))
                                .chain(() -> load(s, a.id));
                    });
        }));
    }

    public Uni<Application> answerInformationRequest(Caller caller, String id, String answer, String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.enterprise(caller, LicensingAction.APPLICATION_PREPARE, a.jurisdiction, a.exporterCreditCode);
            requireState(a, State.INFORMATION_REQUESTED);
            return s.createSelectionQuery("from InformationRequestEntity where applicationId = :id and answer is null",
                    InformationRequestEntity.class).setParameter("id", a.id).getResultList()
                    .flatMap(open -> workingDays(s).flatMap(calendar -> {
                        for (InformationRequestEntity r : open) {
                            r.answer = answer;
                            r.answeredAt = Instant.now();
                        }
                        String before = a.state;
                        // the clock stood still while the applicant was asked: move the due date on
                        a.dueDate = calendar.plus(a.dueDate, calendar.between(a.pausedOn, ChinaTime.today()));
                        a.pausedOn = null;
                        a.state = (a.provincialReviewer == null ? State.PROVINCIAL_REVIEW : State.NATIONAL_REVIEW).name();
                        return record(caller, a, "application.answer-information", requestId, before)
                                .chain(() -> load(s, a.id));
                    }));
        }));
    }

    public Uni<Application> requestConsultation(Caller caller, String id, List<Department> departments,
            String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.national(caller, LicensingAction.APPLICATION_CONSULT);
            requireState(a, State.NATIONAL_REVIEW);
            return s.createSelectionQuery("from ConsultationEntity where applicationId = :id", ConsultationEntity.class)
                    .setParameter("id", a.id).getResultList().flatMap(existing -> {
                        Set<String> asked = existing.stream().map(c -> c.department).collect(Collectors.toSet());
                        List<ConsultationEntity> added = new ArrayList<>();
                        for (Department d : new HashSet<>(departments)) {
                            if (asked.add(d.name())) {
                                ConsultationEntity c = new ConsultationEntity();
                                c.applicationId = a.id;
                                c.department = d.name();
                                c.advice = Advice.ADVICE_UNSPECIFIED.name();
                                added.add(c);
                            }
                        }
                        return s.persistAll(added.toArray())
                                .chain(() -> record(caller, a, "application.request-consultation", requestId, a.state))
                                .chain(() -> load(s, a.id));
                    });
        }));
    }

    public Uni<Application> giveAdvice(Caller caller, String id, Advice advice, String reasons, String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.national(caller, LicensingAction.APPLICATION_ADVISE);
            requireState(a, State.NATIONAL_REVIEW);
            String department = departmentOf(caller);
            ConsultationEntity.Key key = new ConsultationEntity.Key();
            key.applicationId = a.id;
            key.department = department;
            return s.find(ConsultationEntity.class, key).flatMap(c -> {
                if (c == null) {
                    return Uni.createFrom().failure(ApiErrors.failedPrecondition("NOT_CONSULTED",
                            "your department (" + department + ") was not consulted on " + a.id));
                }
                if (!Advice.ADVICE_UNSPECIFIED.name().equals(c.advice)) {
                    return Uni.createFrom().failure(ApiErrors.failedPrecondition("ADVICE_ALREADY_GIVEN",
                            department + " already advised on " + a.id));
                }
                c.advice = advice.name();
                c.reasons = reasons;
                c.advisedBy = caller.subject();
                c.advisedAt = Instant.now();
                return record(caller, a, "application.advise." + advice.name().toLowerCase(), requestId, a.state)
                        .chain(() -> load(s, a.id));
            });
        }));
    }

    public Uni<Application> decide(Caller caller, String id, Decision decision, String reasons, String requestId) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.national(caller, LicensingAction.APPLICATION_DECIDE);
            requireState(a, State.NATIONAL_REVIEW);
            if (caller.subject().equals(a.provincialReviewer)) {
                throw ApiErrors.failedPrecondition("SAME_REVIEWER",
                        "the decision must be taken by someone other than the provincial reviewer");
            }
            return s.createSelectionQuery("select count(*) from ConsultationEntity where applicationId = :id"
                    + " and advice = 'ADVICE_UNSPECIFIED'", Long.class).setParameter("id", a.id).getSingleResult()
                    .flatMap(pending -> {
                        if (pending > 0) {
                            return Uni.createFrom().failure(ApiErrors.failedPrecondition("CONSULTATION_PENDING",
                                    pending + " consulted department(s) have not advised yet"));
                        }
                        String before = a.state;
                        a.decidedBy = caller.subject();
                        a.decisionReasons = reasons;
                        if (decision == Decision.DECISION_REFUSE) {
                            a.state = State.REFUSED.name();
                            return record(caller, a, "application.refuse", requestId, before)
                                    .chain(() -> tellExporter(a, "application.refused", "Application " + a.id + " refused",
                                            "Your application " + a.id + " was refused: " + reasons))
                                    .chain(() -> load(s, a.id));
                        }
                        a.state = State.APPROVED.name();
                        return issueLicence(s, caller, a, requestId)
                                .chain(licence -> record(caller, a, "application.approve", requestId, before)
                                        .chain(() -> tellExporter(a, "application.approved",
                                                "Application " + a.id + " approved: licence " + licence,
                                                "Licence " + licence + " was issued for your application " + a.id
                                                        + (reasons.isBlank() ? "" : ". " + reasons))))
                                .chain(() -> load(s, a.id));
                    });
        }));
    }

    private Uni<String> issueLicence(Mutiny.Session s, Caller caller, ApplicationEntity a, String requestId) {
        ApplicationContent c = content(a);
        return s.createNativeQuery("select nextval('licence_number')", Long.class).getSingleResult().flatMap(n -> {
            LocalDate today = ChinaTime.today();
            LicenceEntity licence = new LicenceEntity();
            licence.number = "EL-%s-%d-%06d".formatted(a.jurisdiction, today.getYear(), n);
            licence.applicationId = a.id;
            licence.exporterCreditCode = a.exporterCreditCode;
            licence.jurisdiction = a.jurisdiction;
            licence.consignee = c.getConsignee().toByteArray();
            licence.endUser = c.getEndUser().toByteArray();
            licence.consigneeName = c.getConsignee().getName();
            licence.endUserName = c.getEndUser().getName();
            licence.destination = c.getDestinationCountryCode();
            licence.validFrom = today;
            licence.validUntil = today.plusYears(c.getLicenceType() == LicenceType.LICENCE_TYPE_GENERAL ? 3 : 1).minusDays(1);
            licence.status = LicenceEntity.Status.ISSUED.name();
            List<Object> rows = new ArrayList<>();
            rows.add(licence);
            for (int i = 0; i < c.getLinesCount(); i++) {
                ApplicationLine line = c.getLines(i);
                LicenceLineEntity l = new LicenceLineEntity();
                l.licenceNumber = licence.number;
                l.lineNumber = i + 1;
                l.itemCode = line.getItem().getItemCode();
                l.tariffCode = line.getItem().getTariffCode();
                l.unit = line.getQuantity().getUnit().name();
                l.granted = new java.math.BigDecimal(line.getQuantity().getValue());
                l.remaining = l.granted;
                rows.add(l);
            }
            a.licenceNumber = licence.number;
            return s.persistAll(rows.toArray())
                    .chain(() -> audit.append(AuditRecord.of(caller, org.exportcontrol.platform.security.Jurisdiction
                            .of(licence.jurisdiction), "licence.issue", "licence/" + licence.number, requestId)))
                    .replaceWith(licence.number);
        });
    }

    // ---- reads ---------------------------------------------------------------------------------

    public Uni<Application> get(Caller caller, String id) {
        return session().flatMap(s -> find(s, id).flatMap(a -> {
            Scopes.enterprise(caller, LicensingAction.APPLICATION_READ, a.jurisdiction, a.exporterCreditCode);
            return load(s, a.id);
        }));
    }

    /** Summaries (without consultations, questions and hits) of the applications the caller may see. */
    public Uni<List<Application>> list(Caller caller, String after, int limit, ApplicationState state, boolean overdueOnly) {
        StringBuilder q = new StringBuilder("from ApplicationEntity where id > :after");
        if (!caller.jurisdiction().isNational()) {
            q.append(" and jurisdiction = :jurisdiction");
        }
        boolean own = Scopes.actsOnlyAsExporter(caller, LicensingAction.APPLICATION_READ);
        if (own) {
            q.append(" and exporterCreditCode = :own");
        }
        if (state != ApplicationState.APPLICATION_STATE_UNSPECIFIED) {
            q.append(" and state = :state");
        }
        if (overdueOnly) {
            q.append(" and state in ('PROVINCIAL_REVIEW', 'NATIONAL_REVIEW') and dueDate < :today");
        }
        q.append(" order by id");
        return session().flatMap(s -> {
            var query = s.createSelectionQuery(q.toString(), ApplicationEntity.class).setParameter("after", after);
            if (!caller.jurisdiction().isNational()) {
                query.setParameter("jurisdiction", caller.jurisdiction().code());
            }
            if (own) {
                query.setParameter("own", caller.enterprise().orElse(""));
            }
            if (state != ApplicationState.APPLICATION_STATE_UNSPECIFIED) {
                query.setParameter("state", state.name().substring("APPLICATION_STATE_".length()));
            }
            if (overdueOnly) {
                query.setParameter("today", ChinaTime.today());
            }
            return query.setMaxResults(limit).getResultList();
        }).map(rows -> rows.stream().map(a -> toProto(a, List.of(), List.of(), List.of())).toList());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Exporter registered, items on the control list with their tariff lines, and controlled today. */
    private Uni<Void> checkAgainstLists(Mutiny.Session s, ApplicationContent content, EnterpriseEntity enterprise) {
        List<String> codes = content.getLinesList().stream().map(l -> l.getItem().getItemCode()).distinct().toList();
        return s.createSelectionQuery("from ControlItemEntity where code in :codes", ControlItemEntity.class)
                .setParameter("codes", codes).getResultList().map(items -> {
                    Map<String, ControlItemEntity> byCode = items.stream().collect(Collectors.toMap(i -> i.code, i -> i));
                    Validation v = new Validation();
                    v.require("content.exporter_credit_code", enterprise != null, "is not a registered enterprise");
                    for (int i = 0; i < content.getLinesCount(); i++) {
                        ApplicationLine line = content.getLines(i);
                        ControlItemEntity item = byCode.get(line.getItem().getItemCode());
                        if (item == null) {
                            v.add("content.lines[" + i + "].item.item_code", "is not an item of the control list");
                        } else if (!item.tariffCodeList().isEmpty()
                                && !item.tariffCodeList().contains(line.getItem().getTariffCode())) {
                            v.add("content.lines[" + i + "].item.tariff_code",
                                    "is not a tariff line of item " + item.code + " " + item.tariffCodeList());
                        }
                    }
                    v.throwIfInvalid();
                    LocalDate today = ChinaTime.today();
                    for (ControlItemEntity item : items) {
                        if (!item.controlledOn(today)) {
                            throw ApiErrors.failedPrecondition("ITEM_NOT_CONTROLLED",
                                    "item " + item.code + " is controlled only from " + item.effectiveFrom
                                            + (item.effectiveUntil == null ? "" : " to " + item.effectiveUntil)
                                            + "; no licence is issued for it today",
                                    Map.of("item_code", item.code));
                        }
                    }
                    return null;
                });
    }

    private Uni<Void> record(Caller caller, ApplicationEntity a, String action, String requestId, String beforeState) {
        String after = Digests.sha256Hex(a.id + "|" + a.state + "|" + Digests.sha256Hex(a.content));
        String before = beforeState == null ? null : Digests.sha256Hex(a.id + "|" + beforeState + "|"
                + Digests.sha256Hex(a.content));
        return audit.append(AuditRecord.of(caller, org.exportcontrol.platform.security.Jurisdiction.of(a.jurisdiction),
                action, "application/" + a.id, requestId).withDigests(before, after)).replaceWithVoid();
    }

    private Uni<Void> tellExporter(ApplicationEntity a, String category, String title, String body) {
        return outgoing.tellEnterprise(a.exporterCreditCode, a.jurisdiction, category, title, body,
                "/applications/" + a.id);
    }

    private static void requireState(ApplicationEntity a, State expected) {
        if (!a.inState(expected)) {
            throw wrongState(a, expected.name());
        }
    }

    private static RuntimeException wrongState(ApplicationEntity a, String expected) {
        return ApiErrors.failedPrecondition("WRONG_APPLICATION_STATE",
                "application " + a.id + " is " + a.state + "; this step needs " + expected,
                Map.of("state", a.state));
    }

    /** The caller's department as the proto enum name, e.g. "customs" -> DEPARTMENT_CUSTOMS. */
    static String departmentOf(Caller caller) {
        String department = caller.department().orElseThrow(() -> ApiErrors.permissionDenied("NO_DEPARTMENT",
                caller.subject() + " belongs to no department"));
        return "DEPARTMENT_" + department.toUpperCase().replace('-', '_');
    }

    private Uni<WorkingDays> workingDays(Mutiny.Session s) {
        return s.createSelectionQuery("from HolidayEntity", HolidayEntity.class).getResultList()
                .map(list -> new WorkingDays(list.stream().map(h -> h.day).collect(Collectors.toSet())));
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }

    private static Uni<ApplicationEntity> find(Mutiny.Session s, String id) {
        return s.find(ApplicationEntity.class, id).onItem().ifNull()
                .failWith(() -> ApiErrors.notFound("application", id));
    }

    private Uni<Application> load(Mutiny.Session s, String id) {
        return s.flush().chain(() -> s.find(ApplicationEntity.class, id)).flatMap(a -> s
                .createSelectionQuery("from ConsultationEntity where applicationId = :id order by department",
                        ConsultationEntity.class).setParameter("id", id).getResultList()
                .flatMap(consultations -> s.createSelectionQuery(
                        "from InformationRequestEntity where applicationId = :id order by number",
                        InformationRequestEntity.class).setParameter("id", id).getResultList()
                        .flatMap(questions -> s.createSelectionQuery(
                                "from ScreeningHitEntity where applicationId = :id", ScreeningHitEntity.class)
                                .setParameter("id", id).getResultList()
                                .map(hits -> toProto(a, consultations, questions, hits)))));
    }

    static ApplicationContent content(ApplicationEntity a) {
        try {
            return ApplicationContent.parseFrom(a.content);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored application content is unreadable", e);
        }
    }

    static Application toProto(ApplicationEntity a, List<ConsultationEntity> consultations,
            List<InformationRequestEntity> questions, List<ScreeningHitEntity> hits) {
        Application.Builder b = Application.newBuilder().setId(a.id).setContent(content(a))
                .setState(ApplicationState.valueOf("APPLICATION_STATE_" + a.state))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(a.jurisdiction))
                .setCreatedBy(a.createdBy);
        if (a.submittedAt != null) {
            b.setSubmittedAt(Timestamps.of(a.submittedAt));
        }
        if (a.provincialReviewer != null) {
            b.setProvincialReviewer(a.provincialReviewer);
        }
        if (a.dueDate != null) {
            b.setDueDate(Dates.of(a.dueDate));
            b.setOverdue((a.inState(State.PROVINCIAL_REVIEW) || a.inState(State.NATIONAL_REVIEW))
                    && ChinaTime.today().isAfter(a.dueDate));
        }
        if (a.decidedBy != null) {
            b.setDecidedBy(a.decidedBy);
        }
        if (a.decisionReasons != null) {
            b.setDecisionReasons(a.decisionReasons);
        }
        if (a.licenceNumber != null) {
            b.setLicenceNumber(a.licenceNumber);
        }
        for (ConsultationEntity c : consultations) {
            Consultation.Builder cb = Consultation.newBuilder().setDepartment(Department.valueOf(c.department))
                    .setAdvice(Advice.valueOf(c.advice));
            if (c.reasons != null) {
                cb.setReasons(c.reasons);
            }
            if (c.advisedBy != null) {
                cb.setAdvisedBy(c.advisedBy);
            }
            b.addConsultations(cb);
        }
        for (InformationRequestEntity q : questions) {
            InformationRequest.Builder qb = InformationRequest.newBuilder().setQuestion(q.question)
                    .setAskedBy(q.askedBy).setAskedAt(Timestamps.of(q.askedAt));
            if (q.answer != null) {
                qb.setAnswer(q.answer).setAnsweredAt(Timestamps.of(q.answeredAt));
            }
            b.addInformationRequests(qb);
        }
        for (ScreeningHitEntity h : hits) {
            b.addScreeningHits(ScreeningHit.newBuilder().setPartyRole(h.partyRole).setPartyName(h.partyName)
                    .setWatchListEntryId(h.watchListEntryId).setWatchListName(h.watchListName).setScore(h.score));
        }
        return b.build();
    }
}
