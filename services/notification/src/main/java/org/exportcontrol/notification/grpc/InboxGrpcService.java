package org.exportcontrol.notification.grpc;

import java.util.UUID;

import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemRequest;
import org.exportcontrol.api.notification.v1.AcknowledgeInboxItemResponse;
import org.exportcontrol.api.notification.v1.InboxItem;
import org.exportcontrol.api.notification.v1.ListInboxItemsRequest;
import org.exportcontrol.api.notification.v1.ListInboxItemsResponse;
import org.exportcontrol.api.notification.v1.MarkInboxItemReadRequest;
import org.exportcontrol.api.notification.v1.MarkInboxItemReadResponse;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.notification.service.InboxService;
import org.exportcontrol.platform.error.ApiErrors;
import org.exportcontrol.platform.error.Validation;
import org.exportcontrol.platform.grpc.Paging;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.idempotency.Idempotency;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.grpc.GrpcService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Thin adapter over {@link InboxService}: the caller's own inbox only. */
@GrpcService
@Authenticated
public class InboxGrpcService implements org.exportcontrol.api.notification.v1.InboxService {

    private static final String LIST = "inbox";

    @Inject
    AccessControl access;
    @Inject
    Idempotency idempotency;
    @Inject
    InboxService inbox;

    @Override
    @WithSession
    public Uni<ListInboxItemsResponse> listInboxItems(ListInboxItemsRequest request) {
        access.require(NotificationAction.INBOX_READ); // role before input: no field errors for a caller without it
        int size = Paging.pageSize(request.getPageSize());
        String position = Paging.position(LIST, request.getPageToken());
        InboxService.Position after;
        try {
            after = position == null ? null : InboxService.Position.decode(position);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument("page_token", "is not a page token of this list");
        }
        Caller caller = access.require(NotificationAction.INBOX_READ);
        return inbox.list(caller.subject(), request.getUnreadOnly(), after, size + 1).map(items -> {
            ListInboxItemsResponse.Builder b = ListInboxItemsResponse.newBuilder();
            items.stream().limit(size).forEach(b::addItems);
            if (items.size() > size) {
                InboxItem last = items.get(size - 1);
                b.setNextPageToken(Paging.token(LIST, new InboxService.Position(
                        Timestamps.toInstant(last.getDeliveredAt()), UUID.fromString(last.getNotification().getId()))
                        .encode()));
            }
            return b.build();
        });
    }

    @Override
    public Uni<MarkInboxItemReadResponse> markInboxItemRead(MarkInboxItemReadRequest request) {
        access.require(NotificationAction.INBOX_MARK_READ); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        UUID id = Ids.uuid(v, "notification_id", request.getNotificationId());
        v.throwIfInvalid();
        Caller caller = access.require(NotificationAction.INBOX_MARK_READ);
        return idempotency.once(caller.subject(), "inbox.mark-read", request.getRequestId(), request,
                MarkInboxItemReadResponse.parser(), () -> inbox.markRead(caller, id)
                        .map(item -> MarkInboxItemReadResponse.newBuilder().setItem(item).build()))
                .map(Idempotency.Result::response);
    }

    @Override
    public Uni<AcknowledgeInboxItemResponse> acknowledgeInboxItem(AcknowledgeInboxItemRequest request) {
        access.require(NotificationAction.INBOX_ACKNOWLEDGE); // role before input: no field errors for a caller without it
        Validation v = new Validation().requestId("request_id", request.getRequestId());
        UUID id = Ids.uuid(v, "notification_id", request.getNotificationId());
        v.throwIfInvalid();
        Caller caller = access.require(NotificationAction.INBOX_ACKNOWLEDGE);
        return idempotency.once(caller.subject(), "inbox.acknowledge", request.getRequestId(), request,
                AcknowledgeInboxItemResponse.parser(), () -> inbox.acknowledge(caller, id, request.getRequestId())
                        .map(item -> AcknowledgeInboxItemResponse.newBuilder().setItem(item).build()))
                .map(Idempotency.Result::response);
    }
}
