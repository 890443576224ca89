package org.boomerang.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.cli.OutputFormat;
import org.boomerang.store.jdbc.ControlBackup;
import org.boomerang.store.jdbc.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code boomerang server restore}: loads a backup into a new, empty control database (FB-13). */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Restores a control-database backup into a new, empty data directory or database. The restored "
                + "server keeps the backed-up identity; run it at the same address so failback still works.")
public final class ServerRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--from", paramLabel = "FILE", required = true, description = "The backup file.")
    Path from;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class, description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        ControlBackup.Summary s;
        try (Database db = Database.open(database.config())) {
            s = ControlBackup.restore(from, db);
            switch (output) {
                case TEXT -> spec.commandLine().getOut().println("restored " + s.rows() + " rows from " + from + " (backup of "
                        + s.createdAt() + ") into " + db.config().describe());
                case JSON -> {
                    ObjectNode json = new ObjectMapper().createObjectNode();
                    json.put("file", from.toString()).put("rows", s.rows()).put("backupCreatedAt", s.createdAt().toString())
                            .put("database", db.config().describe());
                    spec.commandLine().getOut().println(json);
                }
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
