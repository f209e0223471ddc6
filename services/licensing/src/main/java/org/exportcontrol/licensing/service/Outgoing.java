package org.exportcontrol.licensing.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.common.v1.Jurisdiction;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.SignalKind;
import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.api.enforcement.v1.Subject;
import org.exportcontrol.api.enforcement.v1.SubjectType;
import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyServiceGrpc;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.api.notification.v1.Recipient;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.outbox.Outbox;

import io.smallrye.mutiny.Uni;

/**
 * What licensing tells other services, always through the outbox (in the caller's transaction):
 * its own facts to enforcement as signals, and decisions to exporters through notification.
 */
@ApplicationScoped
public class Outgoing {

    public static final String ENFORCEMENT = "enforcement";
    public static final String NOTIFICATION = "notification";

    @Inject
    Outbox outbox;

    /** Tells an enterprise's users (exporters) of a decision, by inbox and e-mail. */
    public Uni<Void> tellEnterprise(String creditCode, String jurisdiction, String category, String title, String body,
            String link) {
        return outbox.enqueue(NOTIFICATION, NotifyServiceGrpc.getNotifyMethod(), id -> NotifyRequest.newBuilder()
                .setRequestId(id)
                .addRecipients(Recipient.newBuilder().setEnterpriseCreditCode(creditCode))
                .setPriority(Priority.PRIORITY_NORMAL)
                .setDeduplicationKey(category + ":" + link + ":" + id)
                .addChannels(Channel.CHANNEL_INBOX).addChannels(Channel.CHANNEL_EMAIL)
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .setCategory(category).setTitle(title).setBody(body).setLink(link)
                .build()).replaceWithVoid();
    }

    /** Signals one of licensing's own facts about a licence to enforcement. */
    public Uni<Void> signalLicence(SignalKind kind, String licenceNumber, String jurisdiction, Map<String, String> facts,
            List<String> evidence) {
        return outbox.enqueue(ENFORCEMENT, SignalServiceGrpc.getRaiseSignalMethod(), id -> RaiseSignalRequest.newBuilder()
                .setRequestId(id).setKind(kind)
                .setSubject(Subject.newBuilder().setType(SubjectType.SUBJECT_TYPE_LICENCE).setId(licenceNumber))
                .setJurisdiction(Jurisdiction.newBuilder().setCode(jurisdiction))
                .putAllFacts(facts).addAllEvidenceIds(evidence)
                .setOccurredAt(Timestamps.of(Instant.now())).setSource("licensing")
                .build()).replaceWithVoid();
    }
}
