package org.exportcontrol.notification.grpc;

import jakarta.inject.Inject;

import org.exportcontrol.api.notification.v1.SubscribeRequest;
import org.exportcontrol.api.notification.v1.SubscribeResponse;
import org.exportcontrol.notification.NotificationAction;
import org.exportcontrol.notification.service.StreamHub;
import org.exportcontrol.platform.security.AccessControl;
import org.exportcontrol.platform.security.Caller;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;

/** Provincial systems subscribe to their own jurisdiction (from their token) and resume from a cursor. */
@GrpcService
@Authenticated
public class SubscriptionGrpcService implements org.exportcontrol.api.notification.v1.SubscriptionService {

    @Inject
    AccessControl access;
    @Inject
    StreamHub hub;

    @Override
    public Multi<SubscribeResponse> subscribe(SubscribeRequest request) {
        try {
            long after = StreamHub.sequence(request.getCursor());
            Caller caller = access.require(NotificationAction.STREAM_SUBSCRIBE);
            return hub.subscribe(caller.jurisdiction().code(), after);
        } catch (RuntimeException e) {
            return Multi.createFrom().failure(e);
        }
    }
}
