package org.boomerang.server.cli;

import java.nio.file.Path;
import org.boomerang.store.jdbc.DatabaseConfig;
import picocli.CommandLine.Option;

/**
 * Which control database a command works on: the SQLite file in {@code --data DIR} (the default,
 * {@code ./data}), or a PostgreSQL database named by {@code --db-url}.
 */
public final class DatabaseOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data directory of the control server; its database is DIR/control.db (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "A PostgreSQL JDBC URL instead of the SQLite file, e.g. jdbc:postgresql://HOST:5432/DB?user=U.")
    String url;

    DatabaseConfig config() {
        return url == null ? DatabaseConfig.forDataDir(data) : DatabaseConfig.url(url);
    }

    /** Where files of this server go by default (backups). */
    Path dataDir() {
        return data;
    }
}
