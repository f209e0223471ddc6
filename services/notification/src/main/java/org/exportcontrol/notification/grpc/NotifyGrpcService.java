package org.exportcontrol.notification.grpc;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.Channel;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.api.notification.v1.NotifyResponse;
import org.exportcontrol.api.notification.v1.Priority;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.notification.service.NotificationService;
import org.exportcontrol.notification.service.Recipients;
import org.exportcontrol.notification.service.WorkSignal;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Thin adapter over {@link NotificationService}: validate, access check (notification-sender),
 * then store once per request id. The answer comes after the commit.
 */
@GrpcService
@Authenticated
public class NotifyGrpcService implements org.exportcontrol.api.notification.v1.NotifyService {

    static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    NotificationService notifications;
    @Inject
    WorkSignal signal;

    @Override
    public Uni<NotifyResponse> notify(NotifyRequest request) {
        access.require(NotificationAction.NOTIFY); // role before input: no field errors for a caller without it
        validate(request);
        Caller caller = access.require(NotificationAction.NOTIFY, Jurisdiction.of(request.getJurisdiction().getCode()));
        return idempotency.once(caller.subject(), "notification.notify", request.getRequestId(), request,
                NotifyResponse.parser(), () -> notifications.accept(caller.subject(), request, null))
                .onFailure(NotifyGrpcService::isDeduplicationRace).transform(e -> Status.ABORTED
                        .withDescription("a notification with the same deduplication_key was accepted concurrently; retry")
                        .asRuntimeException())
                .invoke(signal::wakeLocal)
                .map(r -> r.replayed() ? r.response().toBuilder().setDuplicate(true).build() : r.response());
    }

    /** Two first calls with the same de-duplication key raced; the loser may simply retry (and get a duplicate). */
    static boolean isDeduplicationRace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("notification_deduplication")) {
                return true;
            }
        }
        return false;
    }

    static void validate(NotifyRequest r) {
        Validation v = new Validation().requestId("request_id", r.getRequestId());
        Set<Channel> channels = new HashSet<>();
        for (int i = 0; i < r.getChannelsCount(); i++) {
            Channel c = r.getChannels(i);
            v.require("channels[" + i + "]", c != Channel.CHANNEL_UNSPECIFIED && c != Channel.UNRECOGNIZED,
                    "must be CHANNEL_INBOX, CHANNEL_STREAM, CHANNEL_EMAIL or CHANNEL_WEBHOOK");
            channels.add(c);
        }
        v.require("channels", r.getChannelsCount() > 0, "at least one channel is required");
        boolean toPeople = channels.contains(Channel.CHANNEL_INBOX) || channels.contains(Channel.CHANNEL_EMAIL);
        v.require("recipients", !toPeople || r.getRecipientsCount() > 0,
                "at least one recipient is required for CHANNEL_INBOX or CHANNEL_EMAIL");
        v.require("recipients", r.getRecipientsCount() <= 50, "at most 50 recipients");
        for (int i = 0; i < r.getRecipientsCount(); i++) {
            Recipients.validate(v, "recipients[" + i + "]", r.getRecipients(i));
        }
        v.require("priority", r.getPriority() != Priority.UNRECOGNIZED, "is not a known priority");
        v.require("deduplication_key", r.getDeduplicationKey().length() <= 200, "at most 200 characters");
        v.require("jurisdiction.code", Jurisdiction.isValid(r.getJurisdiction().getCode()),
                "must be \"national\" or a GB/T 2260 province-level code");
        v.require("category", CATEGORY.matcher(r.getCategory()).matches(),
                "must be 1 to 64 characters: lower-case letters, digits, '.', '_' or '-', e.g. \"alert.raised\"");
        v.require("title", !r.getTitle().isBlank() && r.getTitle().length() <= 200, "is required (at most 200 characters)");
        v.require("body", r.getBody().length() <= 10000, "at most 10000 characters");
        v.require("link", r.getLink().isEmpty() || (r.getLink().startsWith("/") && !r.getLink().startsWith("//")
                && r.getLink().length() <= 500 && r.getLink().chars().noneMatch(Character::isWhitespace)),
                "must be a path of the web UI starting with '/', e.g. \"/alerts/123\"");
        if (r.hasAcknowledgement()) {
            v.require("acknowledgement.deadline", r.getAcknowledgement().hasDeadline()
                    && Timestamps.toInstant(r.getAcknowledgement().getDeadline()).isAfter(Instant.now()),
                    "is required and must be in the future");
            v.require("channels", channels.contains(Channel.CHANNEL_INBOX),
                    "an acknowledgement is given in the inbox: CHANNEL_INBOX is required with an acknowledgement policy");
            if (r.getAcknowledgement().hasEscalationTarget()) {
                Recipients.validate(v, "acknowledgement.escalation_target", r.getAcknowledgement().getEscalationTarget());
            }
        }
        v.throwIfInvalid();
    }
}
