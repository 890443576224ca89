package org.boomerang.store.jdbc;

import org.boomerang.control.store.ControlStore;
import org.boomerang.control.store.ControlStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The store contract on PostgreSQL (see {@link PgTestDatabase} for when it runs). */
class PostgresControlStoreTest extends ControlStoreContract {
    private DatabaseConfig config;

    @Override
    protected ControlStore open() {
        config = PgTestDatabase.freshSchema();
        return JdbcControlStore.open(config);
    }

    @AfterEach
    void dropSchema() {
        if (store != null) {
            store.close();
            store = null;
        }
        PgTestDatabase.drop(config);
    }
}
