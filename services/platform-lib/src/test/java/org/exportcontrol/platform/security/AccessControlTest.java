package org.exportcontrol.platform.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.platform.probe.ProbeRequests;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The one access check with real tokens from the real Keycloak, over gRPC and REST: a Jiangxi
 * officer acts in Jiangxi but not in Hunan; the national coordinator acts in both; no token is
 * UNAUTHENTICATED; a token signed by a foreign key is refused.
 */
@QuarkusTest
class AccessControlTest {

    @GrpcClient("probe")
    SignalServiceGrpc.SignalServiceBlockingStub probe;

    @BeforeEach
    void reset() {
        TestDatabase.reset();
    }

    @Test
    void jiangxiOfficerIsAllowedInJiangxiAndDeniedInHunan() {
        var stub = GrpcAuth.bearer(probe, RealmTokens.user("jx-enforcement-officer"));
        stub.raiseSignal(ProbeRequests.request("360000"));

        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> stub.raiseSignal(ProbeRequests.request("430000")));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals("OUTSIDE_JURISDICTION", StatusDetails.reason(denied).orElseThrow());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry"), "the denied call changed nothing");
    }

    @Test
    void nationalCoordinatorIsAllowedInEveryProvince() {
        var stub = GrpcAuth.bearer(probe, RealmTokens.user("nat-coordinator"));
        stub.raiseSignal(ProbeRequests.request("360000"));
        stub.raiseSignal(ProbeRequests.request("430000"));
        stub.raiseSignal(ProbeRequests.request("national"));
        assertEquals(3, TestDatabase.count("select count(*) from audit_entry"));
    }

    @Test
    void aRoleWithoutTheActionIsDeniedEvenAtHome() {
        var stub = GrpcAuth.bearer(probe, RealmTokens.user("jx-inspector"));
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> stub.raiseSignal(ProbeRequests.request("360000")));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals("ROLE_NOT_ALLOWED", StatusDetails.reason(denied).orElseThrow());
    }

    @Test
    void noTokenIsUnauthenticated() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> probe.raiseSignal(ProbeRequests.request("360000")));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }

    @Test
    void aTokenSignedByAForeignKeyIsRefused() {
        var stub = GrpcAuth.bearer(probe, RealmTokens.signedByForeignKey());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.raiseSignal(ProbeRequests.request("360000")));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals(0, TestDatabase.count("select count(*) from audit_entry"));
    }

    @Test
    void theSameCheckGuardsRest() {
        String jiangxi = RealmTokens.user("jx-enforcement-officer");
        given().auth().oauth2(jiangxi).get("/probe/jurisdictions/360000")
                .then().statusCode(200).body("caller", equalTo("jx-enforcement-officer"));
        given().auth().oauth2(jiangxi).get("/probe/jurisdictions/430000")
                .then().statusCode(403).contentType("application/problem+json")
                .body("reason", equalTo("OUTSIDE_JURISDICTION"));
        given().auth().oauth2(RealmTokens.user("nat-coordinator")).get("/probe/jurisdictions/430000")
                .then().statusCode(200);
        given().get("/probe/jurisdictions/360000").then().statusCode(401);
        given().auth().oauth2(RealmTokens.signedByForeignKey()).get("/probe/jurisdictions/360000")
                .then().statusCode(401);
        given().auth().oauth2(jiangxi).get("/probe/jurisdictions/999999")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("code"));
    }

    @Test
    void tokensCarryTheChainClaims() {
        var officer = RealmTokens.claims(RealmTokens.user("jx-enforcement-officer"));
        assertEquals("360000", officer.get("jurisdiction").asText());
        assertEquals("commerce", officer.get("department").asText());
        var system = RealmTokens.claims(RealmTokens.client("province-430000-system"));
        assertEquals("430000", system.get("jurisdiction").asText());
    }
}
