package org.exportcontrol.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain JDBC access to the service's own test database, for what a test must do behind the
 * service's back: reset tables between tests, read what was stored, tamper with a row.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    /** A superuser connection to the same database: what a tamperer with full database access has. */
    public static Connection connectAsSuperuser() throws SQLException {
        var config = ConfigProvider.getConfig();
        String superuser = System.getenv().getOrDefault("DB_SUPERUSER", "postgres");
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), superuser,
                System.getenv().getOrDefault("DB_SUPERUSER_PASSWORD", ""));
    }

    /** Runs statements in one transaction as the service's own database user. */
    public static void execute(String... sql) {
        try (Connection c = connect()) {
            run(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(Connection c, String... sql) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
        c.commit();
    }

    /** The messages the service committed to its outbox for one destination, oldest first. */
    public static <T> java.util.List<T> outboxPayloads(String destination, com.google.protobuf.Parser<T> parser) {
        java.util.List<T> messages = new java.util.ArrayList<>();
        try (Connection c = connect();
                var s = c.prepareStatement("select payload from outbox_message where destination = ? order by created_at")) {
            s.setString(1, destination);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    messages.add(parser.parseFrom(rs.getBytes(1)));
                }
            }
        } catch (SQLException | com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return messages;
    }

    public static long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Empties the platform tables and the given service tables; the audit chain starts again.
     * (TRUNCATE fires no row trigger, so the append-only trigger does not object.)
     */
    public static void reset(String... serviceTables) {
        StringBuilder tables = new StringBuilder("audit_entry, peer_chain_head, outbox_message, idempotent_request");
        for (String table : serviceTables) {
            tables.append(", ").append(table);
        }
        // The service's own schedulers (escalation, overdue scans, the outbox relay) may hold row
        // locks while TRUNCATE asks for exclusive ones: PostgreSQL then aborts one side as a
        // deadlock. The reset simply tries again.
        for (int attempt = 1;; attempt++) {
            try {
                execute("truncate " + tables + " cascade",
                        "update audit_chain_head set sequence = 0, entry_hash = ''");
                return;
            } catch (IllegalStateException e) {
                boolean deadlock = e.getCause() instanceof SQLException sql && "40P01".equals(sql.getSQLState());
                if (!deadlock || attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Changes one audit row behind the application's back, as a tamperer with database access would. */
    public static void tamperAuditRow(long sequence, String newSubject) {
        try (Connection c = connectAsSuperuser()) {
            run(c, "set local session_replication_role = replica",
                    "update audit_entry set subject = '" + newSubject.replace("'", "''") + "' where sequence = " + sequence);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
