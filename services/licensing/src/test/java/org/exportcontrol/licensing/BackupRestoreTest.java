package org.exportcontrol.licensing;

import static org.exportcontrol.licensing.LicensingFixture.JIANGXI_ENTERPRISE;
import static org.exportcontrol.licensing.LicensingFixture.dysprosiumToGermany;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.api.licensing.v1.ApplicationServiceGrpc;
import org.exportcontrol.api.licensing.v1.ControlListServiceGrpc;
import org.exportcontrol.api.licensing.v1.EnterpriseServiceGrpc;
import org.exportcontrol.api.licensing.v1.LicenceServiceGrpc;
import org.exportcontrol.licensing.backup.PgTools;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Backup and restore, phase 1 (the service on its own database, licensing_test): audit entries are
 * created through the service (an application taken to an issued licence), the chain verifies,
 * pg_dump takes the database in the custom format, and pg_restore puts it into a fresh database,
 * licensing_restore_test, exactly as docs/operations.md tells operators.
 *
 * Phase 2, {@link BackupRestoreVerifyTest}, starts the service on the restored database (a
 * test profile, so Quarkus restarts) and checks that its audit chain verifies with the same head.
 * Order: Quarkus's class orderer sorts test classes by name and then runs each profile's classes
 * together, in the order of their first member; this class's name sorts before
 * BackupRestoreVerifyTest's, so the profile-less application (and this phase) always comes first.
 * Run both alone with {@code -Dtest='BackupRestore*Test'}.
 */
@QuarkusTest
class BackupRestoreTest {

    @GrpcClient("licensing")
    ApplicationServiceGrpc.ApplicationServiceBlockingStub applications;
    @GrpcClient("licensing")
    LicenceServiceGrpc.LicenceServiceBlockingStub licences;
    @GrpcClient("licensing")
    EnterpriseServiceGrpc.EnterpriseServiceBlockingStub enterprises;
    @GrpcClient("licensing")
    ControlListServiceGrpc.ControlListServiceBlockingStub lists;
    @GrpcClient("licensing")
    AuditServiceGrpc.AuditServiceBlockingStub audit;

    @Test
    void dumpOfTheServiceDatabaseRestoresIntoAFreshDatabaseWithTheSameAuditChain() throws Exception {
        LicensingFixture.resetDatabase();
        LicensingFixture fixture = new LicensingFixture(applications, licences, enterprises, lists);
        fixture.registerDemoEnterprises();
        fixture.approved(dysprosiumToGermany(JIANGXI_ENTERPRISE, "1000"));

        VerifyAuditChainResponse before = GrpcAuth.bearer(audit, RealmTokens.user("nat-auditor"))
                .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(before.getIntact(), before.getReason());
        assertTrue(before.getHead().getSequence() >= 6, "the review chain must have left audit entries, head: "
                + before.getHead());

        Files.createDirectories(PgTools.workDir());
        Files.deleteIfExists(PgTools.dumpFile());
        PgTools.dump(PgTools.SOURCE_DATABASE, PgTools.dumpFile());
        assertTrue(Files.size(PgTools.dumpFile()) > 0, "pg_dump wrote nothing");

        PgTools.restoreIntoFreshDatabase(PgTools.dumpFile(), PgTools.RESTORED_DATABASE);

        String entries = "select count(*) from audit_entry";
        long sourceEntries = PgTools.count(PgTools.SOURCE_DATABASE, entries);
        assertEquals(sourceEntries, PgTools.count(PgTools.RESTORED_DATABASE, entries));
        assertEquals(before.getHead().getSequence(), sourceEntries);
        for (String table : new String[] {"licence", "licence_line", "application", "enterprise", "outbox_message",
                "idempotent_request", "flyway_schema_history", "control_item"}) {
            String sql = "select count(*) from " + table;
            assertEquals(PgTools.count(PgTools.SOURCE_DATABASE, sql), PgTools.count(PgTools.RESTORED_DATABASE, sql),
                    "rows of " + table + " after restore");
        }
        assertEquals(before.getHead().getEntryHash(),
                PgTools.text(PgTools.RESTORED_DATABASE, "select entry_hash from audit_chain_head"));
        assertEquals(PgTools.APPLICATION_ROLE, PgTools.text(PgTools.RESTORED_DATABASE,
                "select tableowner from pg_tables where tablename = 'audit_entry'"),
                "restored tables must stay owned by the application's role");

        PgTools.writeExpectedHead(before.getHead().getSequence(), before.getHead().getEntryHash(), sourceEntries);
    }
}
