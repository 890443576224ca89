package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.BackupView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang backups list|create}: the control database's backups over the API (admin).
 * Restoring is {@code boomerang server restore} on the server's machine.
 */
@Command(name = "backups", mixinStandardHelpOptions = true, description = "Backups of the control database over the API (admin; FB-13).",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class BackupsCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the backups in the server's backup folder.")
    void list(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).list(c.get("api/v1/backups", new TypeReference<List<BackupView>>() {}), table());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Back the control database up now.")
    void create(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).list(List.of(c.post("api/v1/backups", null, BackupView.class)), table());
    }

    private static Table<BackupView> table() {
        return new Table<BackupView>().column("NAME", BackupView::name).column("BYTES", BackupView::sizeBytes)
                .column("ROWS", b -> b.rows() < 0 ? "" : b.rows()).column("CREATED", BackupView::createdAt);
    }
}
