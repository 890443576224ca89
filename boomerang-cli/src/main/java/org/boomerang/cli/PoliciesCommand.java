package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.GroupView;
import org.boomerang.api.dto.PolicyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code boomerang policies …}: replication policies, and replication groups ({@code policies group…}). */
@Command(name = "policies", mixinStandardHelpOptions = true, description = "Replication policies and replication groups.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class PoliciesCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List replication policies.")
    void list(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).list(c.get("api/v1/policies", new TypeReference<List<PolicyView>>() {}), table());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a replication policy.")
    void show(@Mixin ClientOptions options, @Parameters(paramLabel = "POLICY") String id) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(c.get("api/v1/policies/" + UrlPaths.encode(id), PolicyView.class), table());
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Create or replace a replication policy (admin). Durations in seconds.")
    void put(@Mixin ClientOptions options, @Parameters(paramLabel = "POLICY") String id,
             @Option(names = "--name", required = true, description = "A display name.") String name,
             @Option(names = "--rpo", required = true, paramLabel = "SECONDS", description = "RPO above which health warns (0: any write not yet durable at the replica).") long rpo,
             @Option(names = "--retention", required = true, paramLabel = "SECONDS", description = "How long points are kept.") long retention,
             @Option(names = "--crash-every", required = true, paramLabel = "SECONDS", description = "Crash-consistent point frequency.") long crash,
             @Option(names = "--app-every", required = true, paramLabel = "SECONDS", description = "App-consistent point frequency (0: none).") long app,
             @Option(names = "--multi-vm-sync", description = "Common points across a replication group.") boolean multiVm) {
        ApiClient c = options.client();
        PolicyView p = c.put("api/v1/policies/" + UrlPaths.encode(id), new PolicyView.Request(name, rpo, retention, crash, app, multiVm), PolicyView.class);
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(p, table());
    }

    @Command(name = "groups", mixinStandardHelpOptions = true, description = "List replication groups.")
    void groups(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).list(c.get("api/v1/groups", new TypeReference<List<GroupView>>() {}), groups());
    }

    @Command(name = "group", mixinStandardHelpOptions = true, description = "Show a replication group.")
    void group(@Mixin ClientOptions options, @Parameters(paramLabel = "GROUP") String id) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(c.get("api/v1/groups/" + UrlPaths.encode(id), GroupView.class), groups());
    }

    @Command(name = "put-group", mixinStandardHelpOptions = true, description = "Create or rename a replication group (admin).")
    void putGroup(@Mixin ClientOptions options, @Parameters(paramLabel = "GROUP") String id,
                  @Option(names = "--name", required = true, description = "A display name.") String name) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(
                c.put("api/v1/groups/" + UrlPaths.encode(id), new GroupView.Request(name), GroupView.class), groups());
    }

    private static Table<PolicyView> table() {
        return new Table<PolicyView>().column("ID", PolicyView::id).column("NAME", PolicyView::name)
                .column("RPO S", PolicyView::rpoThresholdSeconds).column("RETENTION S", PolicyView::retentionSeconds)
                .column("CRASH EVERY S", PolicyView::crashConsistentEverySeconds).column("APP EVERY S", PolicyView::appConsistentEverySeconds)
                .column("MULTI-VM", PolicyView::multiVmSync);
    }

    private static Table<GroupView> groups() {
        return new Table<GroupView>().column("ID", GroupView::id).column("NAME", GroupView::name);
    }
}
