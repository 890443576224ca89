package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.PrivateFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * An open control database: a HikariCP pool, migrated by Flyway ({@code db/migration}) on open.
 * SQLite runs in WAL mode with {@code synchronous=FULL} (a commit is on disk before it returns)
 * and a busy timeout, so several pooled connections and processes can share the file.
 * Owns the pool; {@link #close()} releases it. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 15_000;

    private final DatabaseConfig config;
    private final HikariDataSource pool;

    private Database(DatabaseConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    /** Opens the pool and applies every pending migration. */
    public static Database open(DatabaseConfig config) {
        requireNonNull(config, "config is null");
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("boomerang-control");
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(30_000);
        if (config.isSqlite()) {
            createParentDirectory(config);
            SQLiteConfig sc = new SQLiteConfig();
            sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sc.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            sc.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
            SQLiteDataSource ds = new SQLiteDataSource(sc);
            ds.setUrl(config.url());
            hc.setDataSource(ds);
        } else {
            hc.setJdbcUrl(config.url());
            config.user().ifPresent(hc::setUsername);
            config.password().ifPresent(hc::setPassword);
            config.schema().ifPresent(hc::setSchema);
        }
        HikariDataSource pool;
        try {
            if (!config.isSqlite() && config.schema().isPresent()) {
                createSchema(config);
            }
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new BoomerangException(StoreError.DATABASE_UNAVAILABLE, "cannot open the control database " + config.describe()
                    + ": " + e.getMessage(), "check the URL, that the server is running and the credentials", e);
        }
        try {
            var fw = Flyway.configure().dataSource(pool).locations("classpath:db/migration");
            config.schema().ifPresent(s -> fw.schemas(s).defaultSchema(s));
            fw.load().migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new BoomerangException(StoreError.DATABASE_UNAVAILABLE, "migrating the control database " + config.describe()
                    + " failed: " + e.getMessage(), "the database may be from a newer Boomerang, or unreachable", e);
        }
        return new Database(config, pool);
    }

    /**
     * Creates the folder of a SQLite file (0700 when new) and the empty file itself with mode 0600,
     * so that the database is readable by the server's user only (SQLite gives its WAL and shared
     * memory files the mode of the database file).
     */
    private static void createParentDirectory(DatabaseConfig config) {
        java.nio.file.Path file = config.sqliteFile().orElseThrow().toAbsolutePath();
        java.nio.file.Path parent = file.getParent();
        try {
            if (!java.nio.file.Files.isDirectory(parent)) {
                PrivateFiles.directory(parent);
            }
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createFile(file);
            }
            PrivateFiles.restrict(file);
        } catch (java.io.IOException e) {
            throw new BoomerangException(StoreError.DATABASE_UNAVAILABLE, "cannot create the data directory " + parent + ": " + e.getMessage(),
                    "check the path and its permissions", e);
        }
    }

    private static void createSchema(DatabaseConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.url());
        config.user().ifPresent(hc::setUsername);
        config.password().ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(1);
        try (HikariDataSource ds = new HikariDataSource(hc); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + config.schema().orElseThrow());
        } catch (SQLException e) {
            throw new BoomerangException(StoreError.DATABASE_UNAVAILABLE, "cannot create schema " + config.schema().orElseThrow()
                    + ": " + e.getMessage(), "check the user may create schemas", e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public DatabaseConfig config() {
        return config;
    }

    @Override
    public void close() {
        pool.close();
    }
}
