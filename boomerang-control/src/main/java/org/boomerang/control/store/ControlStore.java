package org.boomerang.control.store;

/**
 * Everything the control server keeps. Implementations: {@code JdbcControlStore} (SQLite file by
 * default, PostgreSQL by URL) and the in-memory fake of the tests. Closing releases connections.
 */
public interface ControlStore extends AutoCloseable {
    ItemStore items();

    JobStore jobs();

    InventoryStore inventory();

    PlanStore plans();

    @Override
    void close();
}
