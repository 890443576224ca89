package org.boomerang.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL of the store tests. {@code BOOMERANG_TEST_PG_URL} names it (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); without it the PostgreSQL tests are
 * skipped with that reason. With {@code BOOMERANG_TEST_PG_REQUIRED=1} an unreachable server fails
 * them instead. Each test gets a fresh schema {@code t_<random>}, dropped afterwards.
 */
final class PgTestDatabase {
    static final String URL_VARIABLE = "BOOMERANG_TEST_PG_URL";
    static final String REQUIRED_VARIABLE = "BOOMERANG_TEST_PG_REQUIRED";

    private PgTestDatabase() {}

    /** A config for a new, empty schema; skips or fails the test when there is no server. */
    static DatabaseConfig freshSchema() {
        String url = System.getenv(URL_VARIABLE);
        boolean required = "1".equals(System.getenv(REQUIRED_VARIABLE));
        if (url == null || url.isBlank()) {
            if (required) {
                fail(REQUIRED_VARIABLE + "=1 but " + URL_VARIABLE + " is not set: name the PostgreSQL server of the store tests");
            }
            abort(URL_VARIABLE + " is not set: PostgreSQL store tests skipped (set it, e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, to run them)");
        }
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + url + " is unreachable: " + e.getMessage();
            if (required) {
                fail(why + " (" + REQUIRED_VARIABLE + "=1: start the server, e.g. pg_ctlcluster 15 main start)");
            }
            abort(why + "; PostgreSQL store tests skipped");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        return DatabaseConfig.url(url).withSchema(schema);
    }

    static void drop(DatabaseConfig config) {
        if (config == null || config.schema().isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(config.url()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + config.schema().get() + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("could not drop test schema " + config.schema().get() + ": " + e.getMessage(), e);
        }
    }
}
