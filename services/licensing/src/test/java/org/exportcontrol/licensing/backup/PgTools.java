package org.exportcontrol.licensing.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * pg_dump, pg_restore and psql as an operator runs them (docs/operations.md), against the test
 * PostgreSQL as its superuser (DB_HOST, DB_PORT, DB_SUPERUSER, DB_SUPERUSER_PASSWORD; defaults
 * 127.0.0.1, 5432, postgres, trust authentication), and the hand-over between the two phases of
 * the backup-and-restore test (a dump and the audit chain head it held, under target/).
 */
public final class PgTools {

    public static final String SOURCE_DATABASE = "licensing_test";
    public static final String RESTORED_DATABASE = "licensing_restore_test";
    public static final String APPLICATION_ROLE = System.getenv().getOrDefault("DB_USER", "exportcontrol");

    private PgTools() {
    }

    public static Path workDir() {
        return Paths.get("target", "backup-restore").toAbsolutePath();
    }

    public static Path dumpFile() {
        return workDir().resolve(SOURCE_DATABASE + ".dump");
    }

    public static Path expectedHeadFile() {
        return workDir().resolve("expected-head.properties");
    }

    static String host() {
        return System.getenv().getOrDefault("DB_HOST", "127.0.0.1");
    }

    static String port() {
        return System.getenv().getOrDefault("DB_PORT", "5432");
    }

    static String superuser() {
        return System.getenv().getOrDefault("DB_SUPERUSER", "postgres");
    }

    /** pg_dump in the custom format (what docs/operations.md prescribes for backups). */
    public static void dump(String database, Path file) {
        run(List.of("pg_dump", "-h", host(), "-p", port(), "-U", superuser(), "--format=custom",
                "--file=" + file, database));
    }

    /** Creates {@code database} afresh (owned by the application's role) and restores {@code file} into it. */
    public static void restoreIntoFreshDatabase(Path file, String database) {
        dropDatabase(database);
        superuserSql("postgres", "create database \"" + database + "\" owner \"" + APPLICATION_ROLE + "\"");
        run(List.of("pg_restore", "-h", host(), "-p", port(), "-U", superuser(), "--exit-on-error",
                "--single-transaction", "--dbname=" + database, file.toString()));
    }

    public static void dropDatabase(String database) {
        superuserSql("postgres", "drop database if exists \"" + database + "\" with (force)");
    }

    public static boolean databaseExists(String database) {
        return count("postgres", "select count(*) from pg_database where datname = '" + database + "'") == 1;
    }

    public static long count(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void superuserSql(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", superuser());
        properties.setProperty("password", System.getenv().getOrDefault("DB_SUPERUSER_PASSWORD", ""));
        return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port() + "/" + database, properties);
    }

    private static void run(List<String> command) {
        List<String> full = new ArrayList<>(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        String password = System.getenv("DB_SUPERUSER_PASSWORD");
        if (password != null && !password.isEmpty()) {
            builder.environment().put("PGPASSWORD", password);
        }
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within 5 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited with " + process.exitValue()
                        + ": " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0)
                    + " (PostgreSQL client tools, Debian package postgresql-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void writeExpectedHead(long sequence, String entryHash, long entries) {
        Properties head = new Properties();
        head.setProperty("sequence", Long.toString(sequence));
        head.setProperty("entryHash", entryHash);
        head.setProperty("entries", Long.toString(entries));
        try (var out = Files.newOutputStream(expectedHeadFile())) {
            head.store(out, "audit chain head of " + SOURCE_DATABASE + " at the time of the dump");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Properties readExpectedHead() {
        Properties head = new Properties();
        try (var in = Files.newInputStream(expectedHeadFile())) {
            head.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return head;
    }
}
