package org.exportcontrol.licensing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;
import org.exportcontrol.api.common.v1.AuditServiceGrpc;
import org.exportcontrol.api.common.v1.ListAuditEntriesRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainRequest;
import org.exportcontrol.api.common.v1.VerifyAuditChainResponse;
import org.exportcontrol.licensing.backup.PgTools;
import org.exportcontrol.platform.testing.GrpcAuth;
import org.exportcontrol.platform.testing.RealmTokens;
import org.exportcontrol.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Backup and restore, phase 2: licensing starts on the database restored by
 * {@link BackupRestoreTest} (licensing_restore_test; Flyway finds its history complete), is ready,
 * and its audit chain verifies with the head the dump held. The restored database is dropped
 * afterwards.
 */
@QuarkusTest
@TestProfile(BackupRestoreVerifyTest.RestoredDatabase.class)
class BackupRestoreVerifyTest {

    /** Points the service at the restored database; Quarkus restarts for this profile. */
    public static class RestoredDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("platform.db.name", PgTools.RESTORED_DATABASE,
                    "%test.platform.db.name", PgTools.RESTORED_DATABASE);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestoredDatabaseLifecycle.class));
        }
    }

    /** Refuses to start without phase 1's restore; drops the restored database when the service has stopped. */
    public static class RestoredDatabaseLifecycle implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            if (!PgTools.databaseExists(PgTools.RESTORED_DATABASE) || !Files.exists(PgTools.expectedHeadFile())) {
                throw new IllegalStateException(PgTools.RESTORED_DATABASE + " has not been restored: run "
                        + "BackupRestoreTest first (-Dtest='BackupRestore*Test')");
            }
            return Map.of();
        }

        @Override
        public void stop() {
            PgTools.dropDatabase(PgTools.RESTORED_DATABASE);
            try {
                Files.deleteIfExists(PgTools.dumpFile());
                Files.deleteIfExists(PgTools.expectedHeadFile());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @GrpcClient("licensing")
    AuditServiceGrpc.AuditServiceBlockingStub audit;

    @Test
    void serviceStartsOnTheRestoredDatabaseAndItsAuditChainVerifies() {
        assertTrue(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .endsWith("/" + PgTools.RESTORED_DATABASE), "the service must run on the restored database");
        for (String probe : new String[] {"started", "live", "ready"}) {
            given().get("/q/health/" + probe).then().statusCode(200).body("status", equalTo("UP"));
        }

        Properties expected = PgTools.readExpectedHead();
        var auditor = GrpcAuth.bearer(audit, RealmTokens.user("nat-auditor"));
        VerifyAuditChainResponse verification = auditor.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(verification.getIntact(), verification.getReason());
        assertEquals(Long.parseLong(expected.getProperty("entries")), verification.getEntriesChecked());
        assertEquals(Long.parseLong(expected.getProperty("sequence")), verification.getHead().getSequence());
        assertEquals(expected.getProperty("entryHash"), verification.getHead().getEntryHash());
        assertEquals("licensing", verification.getHead().getService());

        // The restored entries read back through the service, and Flyway found nothing left to migrate.
        assertTrue(auditor.listAuditEntries(ListAuditEntriesRequest.newBuilder().setPageSize(100).build())
                .getEntriesCount() > 0);
        assertEquals(0, TestDatabase.count("select count(*) from flyway_schema_history where not success"));
    }
}
