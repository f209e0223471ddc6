package org.exportcontrol.notification.grpc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;

import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.DeleteWebhookRequest;
import org.exportcontrol.api.notification.v1.DeleteWebhookResponse;
import org.exportcontrol.api.notification.v1.ListWebhooksRequest;
import org.exportcontrol.api.notification.v1.ListWebhooksResponse;
import org.exportcontrol.api.notification.v1.RegisterWebhookRequest;
import org.exportcontrol.api.notification.v1.RegisterWebhookResponse;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.notification.service.WebhookService;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;
import org.exportcontrol.platform.security.Jurisdiction;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link WebhookService}. */
@GrpcService
@Authenticated
public class WebhookGrpcService implements org.exportcontrol.api.notification.v1.WebhookService {

    private static final String LIST = "webhooks";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    WebhookService webhooks;

    @Override
    public Uni<RegisterWebhookResponse> registerWebhook(RegisterWebhookRequest request) {
        access.require(NotificationAction.WEBHOOK_MANAGE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        v.require("jurisdiction.code", Jurisdiction.isValid(request.getJurisdiction().getCode()),
                "must be \"national\" or a GB/T 2260 province-level code");
        v.require("url", isHttpUrl(request.getUrl()), "must be an absolute http or https URL (at most 2000 characters)");
        v.require("description", request.getDescription().length() <= 500, "at most 500 characters");
        v.throwIfInvalid();
        Jurisdiction jurisdiction = Jurisdiction.of(request.getJurisdiction().getCode());
        Caller caller = access.require(NotificationAction.WEBHOOK_MANAGE, jurisdiction);
        return idempotency.once(caller.subject(), "webhook.register", request.getRequestId(), request,
                RegisterWebhookResponse.parser(), () -> webhooks.register(caller, jurisdiction, request.getUrl(),
                        request.getDescription(), request.getRequestId()))
                .map(Idempotency.Result::response);
    }

    @Override
    @WithSession
    public Uni<ListWebhooksResponse> listWebhooks(ListWebhooksRequest request) {
        access.require(NotificationAction.WEBHOOK_READ); // role before input: no field errors for a caller without it
        int size = Paging.pageSize(request.getPageSize());
        String position = Paging.position(LIST, request.getPageToken());
        UUID after;
        try {
            after = position == null ? null : UUID.fromString(position);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument("page_token", "is not a page token of this list");
        }
        Caller caller = access.require(NotificationAction.WEBHOOK_READ);
        return webhooks.list(caller, after, size + 1).map(list -> {
            ListWebhooksResponse.Builder b = ListWebhooksResponse.newBuilder();
            list.stream().limit(size).forEach(b::addWebhooks);
            if (list.size() > size) {
                b.setNextPageToken(Paging.token(LIST, list.get(size - 1).getId()));
            }
            return b.build();
        });
    }

    @Override
    public Uni<DeleteWebhookResponse> deleteWebhook(DeleteWebhookRequest request) {
        access.require(NotificationAction.WEBHOOK_MANAGE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        UUID id = Ids.uuid(v, "id", request.getId());
        v.throwIfInvalid();
        Caller caller = access.require(NotificationAction.WEBHOOK_MANAGE);
        return idempotency.once(caller.subject(), "webhook.delete", request.getRequestId(), request,
                DeleteWebhookResponse.parser(), () -> webhooks.delete(caller, id, request.getRequestId())
                        .map(w -> DeleteWebhookResponse.newBuilder().setWebhook(w).build()))
                .map(Idempotency.Result::response);
    }

    static boolean isHttpUrl(String url) {
        if (url == null || url.isEmpty() || url.length() > 2000) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null && uri.getUserInfo() == null && uri.getFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
