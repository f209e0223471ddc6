package org.exportcontrol.notification;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.exportcontrol.api.notification.v1.SubscribeRequest;
import org.exportcontrol.api.notification.v1.SubscribeResponse;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/** Records what a subscription receives; {@link #disconnect()} drops the connection as a crashing system would. */
final class StreamRecorder implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {

    final List<SubscribeResponse> received = new CopyOnWriteArrayList<>();
    volatile Throwable error;
    private volatile ClientCallStreamObserver<SubscribeRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(SubscribeResponse value) {
        received.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
        // a subscription does not end by itself
    }

    void disconnect() {
        call.cancel("the provincial system goes away", null);
    }

    List<String> ids() {
        return received.stream().map(r -> r.getNotification().getId()).toList();
    }

    String lastCursor() {
        return received.get(received.size() - 1).getCursor();
    }
}
