package org.exportcontrol.notification.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.RegisterWebhookResponse;
import org.exportcontrol.api.notification.v1.Webhook;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.notification.domain.WebhookEntity;
import org.exportcontrol.platform.audit.AuditLog;
import org.exportcontrol.platform.audit.AuditRecord;
import org.exportcontrol.platform.audit.Digests;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Webhooks per jurisdiction; registration and deletion are audited. */
@ApplicationScoped
public class WebhookService {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AuditLog audit;

    public Uni<RegisterWebhookResponse> register(Caller caller, Jurisdiction jurisdiction, String url, String description,
            String requestId) {
        WebhookEntity w = new WebhookEntity();
        w.id = UUID.randomUUID();
        w.jurisdiction = jurisdiction.code();
        w.url = url;
        w.description = description;
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        w.secret = HexFormat.of().formatHex(secret);
        w.createdBy = caller.subject();
        w.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.getSession().flatMap(s -> s.persist(w))
                .chain(() -> audit.append(AuditRecord.of(caller, jurisdiction, "webhook.register", "webhook/" + w.id,
                        requestId).withDigests(null, Digests.sha256Hex(w.jurisdiction + "|" + w.url))))
                .replaceWith(() -> RegisterWebhookResponse.newBuilder().setWebhook(Mapper.webhook(w))
                        .setSecret(w.secret).build());
    }

    public Uni<Webhook> delete(Caller caller, UUID id, String requestId) {
        return Panache.getSession().flatMap(s -> s.find(WebhookEntity.class, id)
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("webhook", id.toString()))
                .flatMap(w -> {
                    AccessControl.check(caller, NotificationAction.WEBHOOK_MANAGE, Jurisdiction.of(w.jurisdiction));
                    if (w.deletedAt != null) {
                        return Uni.createFrom().item(Mapper.webhook(w));
                    }
                    w.deletedAt = Instant.now();
                    w.deletedBy = caller.subject();
                    return audit.append(AuditRecord.of(caller, Jurisdiction.of(w.jurisdiction), "webhook.delete",
                            "webhook/" + w.id, requestId).withDigests(Digests.sha256Hex(w.jurisdiction + "|" + w.url), null))
                            .replaceWith(Mapper.webhook(w));
                }));
    }

    /** Live webhooks the caller may see (national: all; else its jurisdiction), by id, after {@code after}. */
    public Uni<List<Webhook>> list(Caller caller, UUID after, int limit) {
        boolean national = caller.jurisdiction().isNational();
        String q = "from WebhookEntity where deletedAt is null" + (after == null ? "" : " and id > :after")
                + (national ? "" : " and jurisdiction = :j") + " order by id";
        return Panache.getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q, WebhookEntity.class);
            if (after != null) {
                query.setParameter("after", after);
            }
            if (!national) {
                query.setParameter("j", caller.jurisdiction().code());
            }
            return query.setMaxResults(limit).getResultList().map(rows -> rows.stream().map(Mapper::webhook).toList());
        });
    }
}
