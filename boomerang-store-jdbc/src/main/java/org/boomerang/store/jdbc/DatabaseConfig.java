package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.common.BoomerangException;

/**
 * Where the control database is: a JDBC URL ({@code jdbc:sqlite:FILE} or
 * {@code jdbc:postgresql://HOST:PORT/DB?user=U}), optional credentials, an optional schema
 * (PostgreSQL: created if missing; used by tests for isolation), and the pool size.
 */
public record DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<String> schema, int maxPoolSize) {
    /** The SQLite file inside a data directory. */
    public static final String SQLITE_FILE = "control.db";

    public DatabaseConfig {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new BoomerangException(StoreError.DATABASE_CONFIG_INVALID, "unsupported database URL: " + url,
                    "use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        }
        if (maxPoolSize < 1) {
            throw new BoomerangException(StoreError.DATABASE_CONFIG_INVALID, "pool size must be at least 1: " + maxPoolSize, "");
        }
        schema.ifPresent(s -> {
            if (!s.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new BoomerangException(StoreError.DATABASE_CONFIG_INVALID, "invalid schema name: " + s,
                        "use lower-case letters, digits and underscores");
            }
        });
    }

    /** The default: a SQLite file {@value #SQLITE_FILE} in the data directory. */
    public static DatabaseConfig sqlite(Path file) {
        return new DatabaseConfig("jdbc:sqlite:" + file.toAbsolutePath(), Optional.empty(), Optional.empty(), Optional.empty(), 1);
    }

    public static DatabaseConfig forDataDir(Path dataDir) {
        return sqlite(dataDir.resolve(SQLITE_FILE));
    }

    public static DatabaseConfig url(String url) {
        return new DatabaseConfig(url, Optional.empty(), Optional.empty(), Optional.empty(), 8);
    }

    public DatabaseConfig withSchema(String s) {
        return new DatabaseConfig(url, user, password, Optional.of(s), maxPoolSize);
    }

    /** The SQLite file, when this is a SQLite database. */
    public Optional<Path> sqliteFile() {
        return isSqlite() ? Optional.of(Path.of(url.substring("jdbc:sqlite:".length()))) : Optional.empty();
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The URL without credentials, for messages. */
    public String describe() {
        int q = url.indexOf('?');
        return (q < 0 ? url : url.substring(0, q)) + schema.map(s -> " (schema " + s + ")").orElse("");
    }
}
