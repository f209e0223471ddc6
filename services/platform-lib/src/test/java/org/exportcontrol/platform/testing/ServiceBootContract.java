package org.exportcontrol.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.restassured.RestAssured;

/**
 * What every service of the platform serves, checked against the running service (extend it
 * with {@code @QuarkusTest}): health, Prometheus metrics, the gRPC health protocol on the HTTP
 * port, reflection off unless switched on, its database migrated by Flyway, and the shared
 * AuditService answering an auditor with a real token and refusing a caller without one.
 */
public abstract class ServiceBootContract {

    private ManagedChannel channel;

    @BeforeEach
    void openChannel() {
        channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void healthEndpointsAreUp() {
        for (String probe : new String[] {"live", "ready", "started"}) {
            given().get("/q/health/" + probe).then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void grpcHealthProtocolAnswersOnTheHttpPort() {
        HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().build());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, response.getStatus());
    }

    @Test
    void prometheusMetricsIncludeGrpcServerMetrics() {
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("grpc_server_"));
    }

    @Test
    void reflectionIsOffUnlessSwitchedOn() {
        var reflection = ServerReflectionGrpc.newStub(channel);
        var done = new java.util.concurrent.CompletableFuture<Throwable>();
        var requests = reflection.serverReflectionInfo(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
                done.complete(null);
            }

            @Override
            public void onError(Throwable t) {
                done.complete(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        Throwable failure = done.orTimeout(5, TimeUnit.SECONDS).join();
        assertTrue(failure != null && Status.fromThrowable(failure).getCode() == Status.Code.UNIMPLEMENTED,
                "reflection must be off by default, got " + failure);
    }

    @Test
    void databaseIsMigratedAndTheAuditChainVerifies() {
        assertTrue(TestDatabase.count("select count(*) from flyway_schema_history where success") >= 1);
        var auditor = GrpcAuth.bearer(AuditServiceGrpc.newBlockingStub(channel), RealmTokens.user("nat-auditor"));
        VerifyAuditChainResponse verification = auditor.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(verification.getIntact(), verification.getReason());
        assertEquals(ConfigProvider.getConfig().getValue("quarkus.application.name", String.class),
                verification.getHead().getService());
    }

    @Test
    void auditServiceRefusesCallersWithoutAToken() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> AuditServiceGrpc.newBlockingStub(channel).verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }
}
