package org.exportcontrol.platform.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A gRPC call made inside a trace arrives at the server in the same trace (W3C trace context). */
@QuarkusTest
@QuarkusTestResource(TestReceiver.class)
class TracePropagationTest {

    @Inject
    Tracer tracer;
    @GrpcClient("probe")
    SignalServiceGrpc.SignalServiceBlockingStub probe;

    @Test
    void traceContextTravelsWithTheCall() {
        var stub = GrpcAuth.bearer(probe, RealmTokens.user("nat-coordinator"));
        Span span = tracer.spanBuilder("caller-operation").startSpan();
        String traceId = span.getSpanContext().getTraceId();
        assertTrue(span.getSpanContext().isValid(), "tracing is on (OTEL_SDK_DISABLED=false)");
        try (Scope ignored = span.makeCurrent()) {
            stub.raiseSignal(ProbeRequests.request("360000"));
        } finally {
            span.end();
        }
        assertEquals(traceId, ProbeSignalService.lastTraceId);
    }
}
