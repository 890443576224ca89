package org.boomerang.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.common.AtomicFile;
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

    /** Removes the SQLite file (and its WAL files, and its folder when it was made for it) a failed restore created. */
    private static void removeSqlite(Path file, boolean folder) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
        if (folder) {
            Path dir = file.toAbsolutePath().getParent();
            try (var left = Files.list(dir)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        ControlBackup.Summary s;
        ControlBackup.verify(from); // a damaged or missing file is refused before any database is created
        Path tokenFile = database.dataDir().resolve(TokenFile.FILE_NAME);
        Optional<Path> sqlite = database.config().sqliteFile();
        boolean created = sqlite.isPresent() && !Files.exists(sqlite.get());
        boolean createdFolder = sqlite.isPresent() && !Files.exists(sqlite.get().toAbsolutePath().getParent());
        try (Database db = Database.open(database.config())) {
            try {
                s = ControlBackup.restore(from, db);
            } catch (RuntimeException e) {
                db.close();
                if (created) {
                    removeSqlite(sqlite.get(), createdFolder);
                }
                throw e;
            }
            if (s.tokens().isPresent()) {
                if (Files.exists(tokenFile)) {
                    spec.commandLine().getErr().println("warning: " + tokenFile + " exists and was kept; the backup's API tokens were not restored");
                } else {
                    AtomicFile.write(tokenFile, PosixFilePermissions.fromString("rw-------"),
                            out -> out.write(s.tokens().get().getBytes(StandardCharsets.UTF_8)));
                }
            }
            switch (output) {
                case TEXT -> spec.commandLine().getOut().println("restored " + s.rows() + " rows from " + from + " (backup of "
                        + s.createdAt() + ") into " + db.config().describe() + (s.tokens().isPresent() ? ", with the API tokens" : ""));
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
