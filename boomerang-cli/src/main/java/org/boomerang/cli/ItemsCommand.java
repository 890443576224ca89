package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintWriter;
import java.util.List;
import org.boomerang.api.dto.EnableRequest;
import org.boomerang.api.dto.FailoverRequest;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PointRequest;
import org.boomerang.api.dto.ReprotectRequest;
import org.boomerang.api.dto.TestFailoverRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang items …}: protected items and every operation of their lifecycle (SPEC §3).
 * Each operation starts a job and prints it; {@code --wait} follows the job to its end and exits
 * with the category's exit code when it fails.
 */
@Command(name = "items", mixinStandardHelpOptions = true,
        description = "Protected items: list and show them, enable protection, fail over, commit, reprotect (see the commands below).",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class ItemsCommand {
    private static final String WAIT = "Wait for the job to end, showing progress; exit non-zero when it fails.";
    private static final String POINT = "Recovery point: latest, latest-processed, latest-app-consistent, a point id, or lsn:N.";

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List protected items with their state, measured replication (state, RPO) and allowed actions.")
    void list(@Mixin ClientOptions options) {
        ApiClient client = options.client();
        List<ItemView> items = client.get("api/v1/items", new TypeReference<List<ItemView>>() {});
        new Printer(options.output(), out(), client.json()).list(items, Views.items());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one protected item: its replication measured now (state, initial-sync progress, RPO, lag, newest points) and health conditions.")
    void show(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id) {
        ApiClient client = options.client();
        new Printer(options.output(), out(), client.json()).one(client.get(item(id), ItemView.class), Views.item());
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Protect a machine (--machine, --policy): start initial replication. With ITEM only: enable an unprotected item again.")
    void enable(@Mixin ClientOptions options,
                @Parameters(paramLabel = "ITEM", arity = "0..1", description = "An existing unprotected item to enable again.") String existing,
                @Option(names = "--machine", paramLabel = "MACHINE", description = "The machine at the primary site.") String machine,
                @Option(names = "--policy", paramLabel = "POLICY", description = "The replication policy.") String policy,
                @Option(names = "--id", paramLabel = "ITEM", description = "The new item's id (default: the machine's).") String id,
                @Option(names = "--group", paramLabel = "GROUP", description = "A replication group to join.") String group,
                @Option(names = "--primary-site", paramLabel = "SITE", description = "The primary site (default: the only primary site).") String primary,
                @Option(names = "--recovery-site", paramLabel = "SITE", description = "The recovery site (default: the only recovery site).") String recovery,
                @Option(names = "--process-server", paramLabel = "PS", description = "The process server.") String ps,
                @Option(names = "--wait", description = WAIT) boolean wait) {
        if (existing != null) {
            if (machine != null || policy != null) {
                throw new IllegalArgumentException("give either ITEM (enable it again) or --machine and --policy (protect a machine), not both");
            }
            launch(options, wait, c -> c.post(item(existing) + "/enable", null, JobView.class));
            return;
        }
        if (machine == null || policy == null) {
            throw new IllegalArgumentException("protecting a machine needs --machine and --policy (or give an existing ITEM to enable it again)");
        }
        launch(options, wait, c -> c.post("api/v1/items", new EnableRequest(machine, policy, id, group, primary, recovery, ps), JobView.class));
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop protecting an item and remove its replica.")
    void disable(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/disable", null, JobView.class));
    }

    @Command(name = "test-failover", mixinStandardHelpOptions = true, description = "Bring up an isolated copy at a recovery point; replication goes on.")
    void testFailover(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id,
                      @Option(names = "--point", paramLabel = "POINT", description = POINT) String point,
                      @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/test-failover", new TestFailoverRequest(point), JobView.class));
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, description = "Remove the copy a test failover brought up.")
    void cleanup(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/cleanup", null, JobView.class));
    }

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = "Fail over to the other site at a recovery point (a failover of a reverse-protected item is a failback).")
    void failover(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id,
                  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "PLANNED",
                          description = "PLANNED (shut down and drain the source first) or UNPLANNED (the source is gone); any case. Default: ${DEFAULT-VALUE}.") FailoverRequest.FailoverType type,
                  @Option(names = "--point", paramLabel = "POINT", description = POINT) String point,
                  @Option(names = "--confirm-source-unreachable", description = "For an UNPLANNED failback whose recovery site cannot be "
                          + "reached: go on and leave the recovery-site machine fenced as it is (FB-17). Make sure it cannot run first.")
                  boolean confirmSourceUnreachable,
                  @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/failover",
                new FailoverRequest(type, point, confirmSourceUnreachable ? Boolean.TRUE : null), JobView.class));
    }

    @Command(name = "change-point", mixinStandardHelpOptions = true, description = "Switch a failed-over item to another recovery point before commit.")
    void changePoint(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id,
                     @Option(names = "--point", required = true, paramLabel = "POINT", description = POINT) String point,
                     @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/change-point", new PointRequest(point), JobView.class));
    }

    @Command(name = "commit", mixinStandardHelpOptions = true, description = "Make a failover final; what is left at the other side is removed.")
    void commit(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/commit", null, JobView.class));
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a failover that is not committed: go back to where the item was.")
    void cancel(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/cancel", null, JobView.class));
    }

    @Command(name = "reprotect", mixinStandardHelpOptions = true, description = "Start replication in the reverse direction after commit.")
    void reprotect(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id,
                   @Option(names = "--location", paramLabel = "LOCATION", description = "original or alternate (default: original when the machine still exists).") ReprotectRequest.Location location,
                   @Option(names = "--process-server", paramLabel = "PS", description = "The process server that receives the reverse stream.") String ps,
                   @Option(names = "--master-target", paramLabel = "MT", description = "The master target that writes the replica.") String mt,
                   @Option(names = "--datastore", paramLabel = "DS", description = "Where an alternate-location machine's disks go (VMFS only).") String ds,
                   @Option(names = "--retention", paramLabel = "DURATION",
                           description = "How long the new replica keeps recovery points, e.g. 12h or 3d (default: the item's policy's retention).") String retention,
                   @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(item(id) + "/reprotect", new ReprotectRequest(location, ps, mt, ds, retention), JobView.class));
    }

    @Command(name = "complete-migration", mixinStandardHelpOptions = true,
            description = "Mark a committed failover as a completed migration: the item can never fail back (FB-1).")
    void completeMigration(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id) {
        ApiClient client = options.client();
        new Printer(options.output(), out(), client.json()).one(client.post(item(id) + "/complete-migration", null, ItemView.class), Views.item());
    }

    @Command(name = "preview-point", mixinStandardHelpOptions = true, description = "Which point a name selects and its data loss, without acting (FB-15).")
    void previewPoint(@Mixin ClientOptions options, @Parameters(paramLabel = "ITEM") String id,
                      @Option(names = "--point", paramLabel = "POINT", defaultValue = "latest-processed", description = POINT) String point) {
        ApiClient client = options.client();
        org.boomerang.api.dto.PointPreview p = client.get(item(id) + "/points/preview?point=" + UrlPaths.encode(point), org.boomerang.api.dto.PointPreview.class);
        new Printer(options.output(), out(), client.json()).one(p, new Table<org.boomerang.api.dto.PointPreview>()
                .column("ITEM", org.boomerang.api.dto.PointPreview::item)
                .column("POINT", x -> x.point().id() + " (" + x.point().consistency() + ", lsn " + x.point().lsn() + ", " + x.point().time() + ")")
                .column("LATEST", x -> x.latest().id() + " (" + x.latest().time() + ")")
                .column("DATA LOSS", x -> x.dataLossSeconds() + " s"));
    }

    private void launch(ClientOptions options, boolean wait, java.util.function.Function<ApiClient, JobView> start) {
        JobLauncher.run(options, wait, out(), start);
    }

    static String item(String id) {
        return "api/v1/items/" + UrlPaths.encode(id);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
