package org.boomerang.store.jdbc;

import java.nio.file.Path;
import org.boomerang.control.store.ControlStore;
import org.boomerang.control.store.ControlStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file. */
class SqliteControlStoreTest extends ControlStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ControlStore open() {
        return JdbcControlStore.open(DatabaseConfig.forDataDir(dir));
    }
}
