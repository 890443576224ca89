package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import org.boomerang.control.store.ControlStore;
import org.boomerang.control.store.InventoryStore;
import org.boomerang.control.store.ItemStore;
import org.boomerang.control.store.JobStore;
import org.boomerang.control.store.PlanStore;

/**
 * The control store over JDBC: a SQLite file by default, PostgreSQL by URL (several control
 * servers may share one PostgreSQL database; job leases keep them from running a job twice).
 * Owns its {@link Database}. Thread-safe.
 */
public final class JdbcControlStore implements ControlStore {
    private final Database database;
    private final JdbcItemStore items;
    private final JdbcJobStore jobs;
    private final JdbcInventoryStore inventory;
    private final JdbcPlanStore plans;

    private JdbcControlStore(Database database) {
        this.database = requireNonNull(database, "database is null");
        Statements sql = new Statements(database.dataSource(), database.config().describe());
        DocumentCodec codec = new DocumentCodec();
        this.items = new JdbcItemStore(sql, codec);
        this.jobs = new JdbcJobStore(sql, codec, database.config().isSqlite() ? JdbcJobStore.SQLITE_NOW : JdbcJobStore.POSTGRES_NOW);
        this.inventory = new JdbcInventoryStore(sql, codec);
        this.plans = new JdbcPlanStore(sql, codec);
    }

    /** Opens (and migrates) the database. */
    public static JdbcControlStore open(DatabaseConfig config) {
        return new JdbcControlStore(Database.open(config));
    }

    public Database database() {
        return database;
    }

    @Override
    public ItemStore items() {
        return items;
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    @Override
    public InventoryStore inventory() {
        return inventory;
    }

    @Override
    public PlanStore plans() {
        return plans;
    }

    @Override
    public void close() {
        database.close();
    }
}
