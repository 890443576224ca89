package org.boomerang.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.cli.OutputFormat;
import org.boomerang.common.BoomerangException;
import org.boomerang.store.jdbc.ControlBackup;
import org.boomerang.store.jdbc.Database;
import org.boomerang.store.jdbc.StoreError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code boomerang server backup}: writes a backup of the control database (FB-13). */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Writes a consistent backup of the control database to a file (atomically). "
                + "Restore it with 'boomerang server restore' on a server with the same address.")
public final class ServerBackupCommand implements Callable<Integer> {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--to", paramLabel = "FILE", description = "The backup file, in an existing folder (default: DIR/backups/control-<time>.bkp).")
    Path to;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class, description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Path file = to != null ? to : database.dataDir().resolve("backups").resolve("control-" + NAME.format(now) + ".bkp");
        ControlBackup.Summary s;
        Optional<Path> sqlite = database.config().sqliteFile();
        if (sqlite.isPresent() && !Files.isRegularFile(sqlite.get())) {
            throw new BoomerangException(StoreError.DATABASE_NOT_FOUND, "there is no control database at " + sqlite.get(),
                    "name the data directory of the control server with --data (or its PostgreSQL database with --db-url)");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (to != null && !Files.isDirectory(folder)) {
            throw new BoomerangException(StoreError.BACKUP_FOLDER_NOT_FOUND, "the folder " + folder + " of --to does not exist",
                    "create it first (mkdir -m 700 " + folder + ") or name a file in an existing folder");
        }
        try (Database db = Database.open(database.config())) {
            s = ControlBackup.write(db, file, now, Optional.of(database.dataDir().resolve(TokenFile.FILE_NAME)));
        }
        switch (output) {
            case TEXT -> spec.commandLine().getOut().println("backup written: " + s.file() + " (" + s.rows() + " rows"
                    + (s.tokens().isPresent() ? ", with the API tokens" : ", no API token file") + ")");
            case JSON -> {
                ObjectNode json = new ObjectMapper().createObjectNode();
                json.put("file", s.file().toString()).put("rows", s.rows()).put("createdAt", s.createdAt().toString())
                        .put("tokens", s.tokens().isPresent());
                spec.commandLine().getOut().println(json);
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
