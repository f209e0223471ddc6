package org.exportcontrol.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.ConfigProvider;
import org.exportcontrol.platform.audit.AuditHasher;

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

    /**
     * Runs statements in one transaction in another service's database ({@code DB_HOST},
     * {@code DB_PORT}, {@code DB_USER} as the services read them), e.g. from a test resource.
     */
    public static void executeIn(String database, String... sql) {
        String url = "jdbc:postgresql://" + System.getenv().getOrDefault("DB_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("DB_PORT", "5432") + "/" + database;
        try (Connection c = DriverManager.getConnection(url, System.getenv().getOrDefault("DB_USER", "exportcontrol"),
                System.getenv().getOrDefault("DB_PASSWORD", ""))) {
            run(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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

    /** One audit_entry row as stored (plain values: entity fields are not readable from here). */
    public record AuditRow(long sequence, String actor, String actorKind, String onBehalfOf, String jurisdiction,
            String action, String subject, java.time.Instant occurredAt, String beforeDigest, String afterDigest,
            String requestId, String previousHash, String entryHash) {

        AuditRow relinked(String newSubject, String newPrevious) {
            String hash = AuditHasher.hash(sequence, actor, actorKind, onBehalfOf, jurisdiction, action, newSubject,
                    occurredAt, beforeDigest, afterDigest, requestId, newPrevious);
            return new AuditRow(sequence, actor, actorKind, onBehalfOf, jurisdiction, action, newSubject, occurredAt,
                    beforeDigest, afterDigest, requestId, newPrevious, hash);
        }
    }

    /**
     * Rewrites a whole audit chain consistently, as a tamperer with superuser access to that one
     * database would: entry {@code sequence} gets another subject and every hash from there on is
     * recomputed (links, head row), so the chain verifies by itself. Returns the original rows,
     * for {@link #restoreAuditChain}.
     */
    public static java.util.List<AuditRow> rewriteAuditChain(String database, long sequence, String newSubject) {
        try (Connection c = connectAsSuperuser(database)) {
            c.setAutoCommit(false);
            java.util.List<AuditRow> original = entries(c);
            java.util.List<AuditRow> rewritten = new java.util.ArrayList<>();
            String previous = "";
            for (AuditRow o : original) {
                AuditRow e = o.relinked(o.sequence() == sequence ? newSubject : o.subject(), previous);
                previous = e.entryHash();
                rewritten.add(e);
            }
            write(c, rewritten);
            c.commit();
            return original;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts back the rows {@link #rewriteAuditChain} returned. */
    public static void restoreAuditChain(String database, java.util.List<AuditRow> original) {
        try (Connection c = connectAsSuperuser(database)) {
            c.setAutoCommit(false);
            write(c, original);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connectAsSuperuser(String database) throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("/[^/?]+(\\?.*)?$", "/" + database + "$1");
        return DriverManager.getConnection(url, System.getenv().getOrDefault("DB_SUPERUSER", "postgres"),
                System.getenv().getOrDefault("DB_SUPERUSER_PASSWORD", ""));
    }

    private static java.util.List<AuditRow> entries(Connection c) throws SQLException {
        java.util.List<AuditRow> entries = new java.util.ArrayList<>();
        try (Statement lock = c.createStatement()) {
            // the head row first: no append slips in between reading and rewriting
            lock.execute("select 1 from audit_chain_head where id = 1 for update");
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select * from audit_entry order by sequence")) {
            while (rs.next()) {
                entries.add(new AuditRow(rs.getLong("sequence"), rs.getString("actor"), rs.getString("actor_kind"),
                        rs.getString("on_behalf_of"), rs.getString("jurisdiction"), rs.getString("action"),
                        rs.getString("subject"), rs.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant(),
                        rs.getString("before_digest"), rs.getString("after_digest"), rs.getString("request_id"),
                        rs.getString("previous_hash"), rs.getString("entry_hash")));
            }
        }
        return entries;
    }

    /** Subjects, links, hashes and the head row, behind the append-only trigger. */
    private static void write(Connection c, java.util.List<AuditRow> entries) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local session_replication_role = replica");
            s.execute("select 1 from audit_chain_head where id = 1 for update");
        }
        try (var update = c.prepareStatement(
                "update audit_entry set subject = ?, previous_hash = ?, entry_hash = ? where sequence = ?")) {
            for (AuditRow e : entries) {
                update.setString(1, e.subject());
                update.setString(2, e.previousHash());
                update.setString(3, e.entryHash());
                update.setLong(4, e.sequence());
                update.addBatch();
            }
            update.executeBatch();
        }
        if (!entries.isEmpty()) {
            AuditRow last = entries.get(entries.size() - 1);
            try (var head = c.prepareStatement("update audit_chain_head set sequence = ?, entry_hash = ? where id = 1")) {
                head.setLong(1, last.sequence());
                head.setString(2, last.entryHash());
                head.executeUpdate();
            }
        }
    }
}
