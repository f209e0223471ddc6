package org.exportcontrol.platform.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.ChainHead;
import org.exportcontrol.api.common.v1.ListPeerChainHeadsRequest;
import org.exportcontrol.api.common.v1.PeerHeadCheck;
import org.exportcontrol.api.common.v1.RecordPeerChainHeadRequest;
import org.exportcontrol.api.common.v1.ListAuditEntriesRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.api.enforcement.v1.RaiseSignalRequest;
import org.exportcontrol.api.enforcement.v1.RaiseSignalResponse;
import org.exportcontrol.api.enforcement.v1.SignalServiceGrpc;
import org.exportcontrol.api.notification.v1.NotifyRequest;
import org.exportcontrol.platform.audit.AuditExchange;
import org.exportcontrol.platform.grpc.Timestamps;
import org.exportcontrol.platform.testing.Await;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.StatusDetails;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The library's cross-cutting parts, driven through a real mutating RPC with real tokens:
 * the hash-chained audit log and its verification, the transactional outbox with a receiver
 * that goes away and comes back, request-id idempotency, and field-level validation errors.
 */
@QuarkusTest
@QuarkusTestResource(TestReceiver.class)
class PlatformFeaturesTest {

    @GrpcClient("probe")
    SignalServiceGrpc.SignalServiceBlockingStub probe;
    @GrpcClient("audit")
    AuditServiceGrpc.AuditServiceBlockingStub audit;

    @Inject
    AuditExchange exchange;

    SignalServiceGrpc.SignalServiceBlockingStub officer;
    AuditServiceGrpc.AuditServiceBlockingStub auditor;

    @BeforeEach
    void reset() {
        TestDatabase.reset();
        TestReceiver.clear();
        officer = GrpcAuth.bearer(probe, RealmTokens.user("jx-enforcement-officer"));
        auditor = GrpcAuth.bearer(audit, RealmTokens.user("nat-auditor"));
    }

    @Test
    void verifyNamesTheAuditRowEditedInSql() {
        for (int i = 0; i < 5; i++) {
            officer.raiseSignal(ProbeRequests.request("360000"));
        }
        VerifyAuditChainResponse intact = auditor.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(intact.getIntact());
        assertEquals(5, intact.getEntriesChecked());
        assertEquals(5, intact.getHead().getSequence());

        TestDatabase.tamperAuditRow(3, "probe/SOMETHING-ELSE");

        VerifyAuditChainResponse broken = auditor.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertFalse(broken.getIntact());
        assertEquals(3, broken.getFirstBrokenSequence());
        assertEquals("entry hash does not match its content", broken.getReason());
    }

    @Test
    void aPeerThatIsDownIsReportedAndNothingElseBreaks() {
        officer.raiseSignal(ProbeRequests.request("360000"));
        assertEquals(List.of(), exchange.exchangeOnce().await().atMost(Duration.ofSeconds(10)),
                "no peer accepted the head; the round itself does not fail");

        VerifyAuditChainResponse verification = auditor.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(verification.getIntact());
        assertEquals(1, verification.getPeerChecksCount());
        PeerHeadCheck check = verification.getPeerChecks(0);
        assertEquals("licensing", check.getPeer());
        assertFalse(check.getReachable());
        assertTrue(check.getReason().startsWith("could not ask licensing: UNAVAILABLE"), check.getReason());
        assertEquals(0, verification.getFirstContradictedSequence());
    }

    @Test
    void aPeerHeadKeepsTheHashFirstRecordedForItsSequence() {
        var licensing = GrpcAuth.bearer(audit, RealmTokens.client("licensing-service"));
        ChainHead head = ChainHead.newBuilder().setService("licensing").setSequence(7).setEntryHash("a".repeat(64))
                .setObservedAt(Timestamps.of(Instant.now())).build();
        assertFalse(licensing.recordPeerChainHead(record(head)).getDuplicate());
        // the same head again, in a later round (new request id): accepted, nothing new stored
        licensing.recordPeerChainHead(record(head.toBuilder().setObservedAt(Timestamps.of(Instant.now())).build()));
        assertEquals(1, TestDatabase.count("select count(*) from peer_chain_head"));

        StatusRuntimeException rewritten = assertThrows(StatusRuntimeException.class,
                () -> licensing.recordPeerChainHead(record(head.toBuilder().setEntryHash("b".repeat(64)).build())));
        assertEquals(Status.Code.FAILED_PRECONDITION, rewritten.getStatus().getCode());
        assertEquals("HEAD_CONTRADICTS_RECORDED", StatusDetails.reason(rewritten).orElseThrow());
        assertEquals(List.of("a".repeat(64)), auditor.listPeerChainHeads(ListPeerChainHeadsRequest.newBuilder()
                .setService("licensing").build()).getHeadsList().stream().map(ChainHead::getEntryHash).toList(),
                "the first hash is kept");

        // a service records its own head only: reporting-service stands for provincial-reporting
        StatusRuntimeException impersonation = assertThrows(StatusRuntimeException.class,
                () -> GrpcAuth.bearer(audit, RealmTokens.client("reporting-service")).recordPeerChainHead(record(head)));
        assertEquals(Status.Code.INVALID_ARGUMENT, impersonation.getStatus().getCode());
        assertEquals(List.of("head.service"), StatusDetails.badFields(impersonation));
        StatusRuntimeException person = assertThrows(StatusRuntimeException.class,
                () -> GrpcAuth.bearer(audit, RealmTokens.user("nat-auditor")).recordPeerChainHead(record(head)));
        assertEquals(Status.Code.PERMISSION_DENIED, person.getStatus().getCode());
    }

    private static RecordPeerChainHeadRequest record(ChainHead head) {
        return RecordPeerChainHeadRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setHead(head).build();
    }

    @Test
    void theApplicationCannotChangeAnAuditRow() {
        officer.raiseSignal(ProbeRequests.request("360000"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TestDatabase.execute("update audit_entry set subject = 'x' where sequence = 1"));
        assertTrue(refused.getCause().getMessage().contains("append-only"), refused.getCause().getMessage());
    }

    @Test
    void auditEntriesAreListedInsideTheCallersJurisdiction() {
        var national = GrpcAuth.bearer(probe, RealmTokens.user("nat-coordinator"));
        national.raiseSignal(ProbeRequests.request("360000"));
        national.raiseSignal(ProbeRequests.request("430000"));
        national.raiseSignal(ProbeRequests.request("360000"));

        assertEquals(3, auditor.listAuditEntries(ListAuditEntriesRequest.getDefaultInstance()).getEntriesCount());
        var hunanView = GrpcAuth.bearer(audit, RealmTokens.user("nat-coordinator"))
                .listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(2).build());
        assertEquals(2, hunanView.getEntriesCount());
        assertFalse(hunanView.getNextPageToken().isEmpty(), "a third entry is on the next page");

        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> GrpcAuth.bearer(audit, RealmTokens.user("jx-enforcement-officer"))
                        .listAuditEntries(ListAuditEntriesRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    }

    @Test
    void messagesCommittedWhileTheReceiverIsDownArriveOnceWhenItReturns() {
        TestReceiver.stopServer();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RaiseSignalRequest request = ProbeRequests.request("360000", "LOT-" + i);
            subjects.add(request.getSubject().getId());
            officer.raiseSignal(request);
        }
        // one message's answer is lost after it was applied: the relay resends, the receiver drops it
        TestReceiver.loseFirstAnswerFor.add("LOT-2");
        assertEquals(5, TestDatabase.count("select count(*) from outbox_message where delivered_at is null"),
                "committed and waiting while the receiver is down");
        assertTrue(TestReceiver.deliveries.isEmpty());

        TestReceiver.startServer();
        Await.until("every message delivered", Duration.ofSeconds(20),
                () -> TestDatabase.count("select count(*) from outbox_message where delivered_at is null") == 0);

        Set<String> arrived = TestReceiver.deliveries.stream().map(NotifyRequest::getTitle).collect(Collectors.toSet());
        assertEquals(Set.copyOf(subjects), arrived);
        assertEquals(5, TestReceiver.applied.size(), "each message applied once, by message id");
        for (String subject : subjects) {
            long sends = TestReceiver.deliveries.stream().filter(d -> d.getTitle().equals(subject)).count();
            assertEquals(subject.equals("LOT-2") ? 2 : 1, sends, "deliveries of " + subject);
        }
        String claims = TestReceiver.authorizations.get(0).substring("Bearer ".length());
        assertEquals("licensing-service", RealmTokens.claims(claims).get("azp").asText(),
                "delivered with the sending service's own token");
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstAnswerAndChangesNothing() {
        RaiseSignalRequest request = ProbeRequests.request("360000");
        RaiseSignalResponse first = officer.raiseSignal(request);
        RaiseSignalResponse again = officer.raiseSignal(request);
        assertFalse(first.getDuplicate());
        assertTrue(again.getDuplicate());
        assertEquals(1, TestDatabase.count("select count(*) from audit_entry"));
        assertEquals(1, TestDatabase.count("select count(*) from outbox_message"));

        RaiseSignalRequest reused = request.toBuilder()
                .setSubject(request.getSubject().toBuilder().setId("ANOTHER-LOT")).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> officer.raiseSignal(reused));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("REQUEST_ID_REUSED", StatusDetails.reason(e).orElseThrow());
    }

    @Test
    void badInputNamesEachBadFieldAndStoresNothing() {
        RaiseSignalRequest bad = RaiseSignalRequest.newBuilder().setRequestId("x").build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> officer.raiseSignal(bad));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("request_id", "jurisdiction.code", "subject.id"), StatusDetails.badFields(e));
        assertEquals(0, TestDatabase.count("select count(*) from audit_entry"));
        assertEquals(0, TestDatabase.count("select count(*) from outbox_message"));
    }
}
