package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintWriter;
import java.util.List;
import org.boomerang.api.dto.AgentView;
import org.boomerang.api.dto.IdentityView;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.MasterTargetView;
import org.boomerang.api.dto.ProcessServerRequest;
import org.boomerang.api.dto.ProcessServerView;
import org.boomerang.api.dto.SiteRequest;
import org.boomerang.api.dto.SiteView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang inventory …}: the control server's identity, sites and what their providers
 * discovered, process servers, master targets, agents; powering a machine on.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Sites, discovered machines, hosts and datastores, process servers, master targets, agents.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class InventoryCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "identity", mixinStandardHelpOptions = true, description = "This control server's identity (FB-3, FB-13).")
    void identity(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).one(c.get("api/v1/identity", IdentityView.class), new Table<IdentityView>()
                .column("ID", IdentityView::id).column("ADDRESS", IdentityView::address).column("SITE", IdentityView::site)
                .column("CREATED", IdentityView::createdAt));
    }

    @Command(name = "sites", mixinStandardHelpOptions = true, description = "List the sites.")
    void sites(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(c.get("api/v1/sites", new TypeReference<List<SiteView>>() {}), sites());
    }

    @Command(name = "add-site", mixinStandardHelpOptions = true, description = "Add or replace a site (admin).")
    void addSite(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String id,
                 @Option(names = "--role", required = true, paramLabel = "ROLE", description = "primary or recovery.") SiteView.SiteRole role,
                 @Option(names = "--provider", required = true, paramLabel = "PROVIDER", description = "The site provider, e.g. lab.") String provider) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(List.of(c.put("api/v1/sites/" + UrlPaths.encode(id), new SiteRequest(role, provider), SiteView.class)), sites());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show what was last discovered at a site.")
    void show(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String site) {
        ApiClient c = options.client();
        print(options, c, c.get("api/v1/sites/" + UrlPaths.encode(site) + "/inventory", InventoryView.class));
    }

    @Command(name = "discover", mixinStandardHelpOptions = true, description = "Discover a site now through its provider.")
    void discover(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String site) {
        ApiClient c = options.client();
        print(options, c, c.post("api/v1/sites/" + UrlPaths.encode(site) + "/discover", null, InventoryView.class));
    }

    @Command(name = "power-on", mixinStandardHelpOptions = true, description = "Power a machine on (refused while it is fenced).")
    void powerOn(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                 @Parameters(index = "1", paramLabel = "MACHINE") String machine) {
        options.client().post("api/v1/sites/" + UrlPaths.encode(site) + "/machines/" + UrlPaths.encode(machine) + "/power-on", null, Void.class);
        out().println("powered on " + machine + " at " + site);
        out().flush();
    }

    @Command(name = "process-servers", mixinStandardHelpOptions = true, description = "List the process servers.")
    void processServers(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(c.get("api/v1/process-servers", new TypeReference<List<ProcessServerView>>() {}),
                new Table<ProcessServerView>().column("ID", ProcessServerView::id).column("SITE", ProcessServerView::site)
                        .column("ADDRESS", ProcessServerView::address));
    }

    @Command(name = "add-process-server", mixinStandardHelpOptions = true, description = "Register a process server (admin).")
    void addProcessServer(@Mixin ClientOptions options, @Parameters(paramLabel = "ID") String id,
                          @Option(names = "--site", required = true, paramLabel = "SITE", description = "Its site.") String site,
                          @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "Where it listens.") String address) {
        options.client().put("api/v1/process-servers/" + UrlPaths.encode(id), new ProcessServerRequest(site, address), ProcessServerView.class);
        out().println("registered process server " + id);
        out().flush();
    }

    @Command(name = "master-targets", mixinStandardHelpOptions = true, description = "List the master targets.")
    void masterTargets(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(c.get("api/v1/master-targets", new TypeReference<List<MasterTargetView>>() {}),
                new Table<MasterTargetView>().column("MACHINE", MasterTargetView::machine).column("SITE", MasterTargetView::site)
                        .column("HOST", MasterTargetView::host));
    }

    @Command(name = "add-master-target", mixinStandardHelpOptions = true, description = "Register a master target (admin).")
    void addMasterTarget(@Mixin ClientOptions options, @Parameters(paramLabel = "MACHINE") String machine,
                         @Option(names = "--site", required = true, paramLabel = "SITE", description = "Its site.") String site,
                         @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host it runs on.") String host) {
        options.client().put("api/v1/master-targets/" + UrlPaths.encode(machine), new MasterTargetView.Request(site, host), MasterTargetView.class);
        out().println("registered master target " + machine);
        out().flush();
    }

    @Command(name = "agent", mixinStandardHelpOptions = true, description = "Show a machine's agent registration (FB-21).")
    void agent(@Mixin ClientOptions options, @Parameters(paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).one(c.get("api/v1/agents/" + UrlPaths.encode(machine), AgentView.class), agents());
    }

    @Command(name = "agent-heartbeat", mixinStandardHelpOptions = true, description = "Record an agent heartbeat; the first registers it (admin).")
    void heartbeat(@Mixin ClientOptions options, @Parameters(paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).one(c.post("api/v1/agents/" + UrlPaths.encode(machine) + "/heartbeat", null, AgentView.class), agents());
    }

    private void print(ClientOptions options, ApiClient c, InventoryView inv) {
        Printer p = new Printer(options.output(), out(), c.json());
        if (p.isJson()) {
            p.printJson(inv);
            return;
        }
        p.list(inv.machines(), new Table<InventoryView.Machine>().column("MACHINE", InventoryView.Machine::id)
                .column("KIND", InventoryView.Machine::kind).column("OS", m -> m.osFamily() + " " + m.osVersion())
                .column("POWER", InventoryView.Machine::power).column("HOST", InventoryView.Machine::host)
                .column("DISKS", m -> m.disks().size()));
        out().println();
        p.list(inv.hosts(), new Table<InventoryView.Host>().column("HOST", InventoryView.Host::id).column("TYPE", InventoryView.Host::type)
                .column("MANAGER", InventoryView.Host::manager).column("DISCOVERED", InventoryView.Host::discovered));
        out().println();
        p.list(inv.datastores(), new Table<InventoryView.Datastore>().column("DATASTORE", InventoryView.Datastore::id)
                .column("TYPE", InventoryView.Datastore::type).column("REACHABLE FROM", d -> String.join(",", d.reachableFrom())));
    }

    private static Table<SiteView> sites() {
        return new Table<SiteView>().column("SITE", SiteView::id).column("ROLE", SiteView::role).column("PROVIDER", SiteView::provider);
    }

    private static Table<AgentView> agents() {
        return new Table<AgentView>().column("MACHINE", AgentView::machine).column("REGISTERED", AgentView::registeredAt)
                .column("LAST HEARTBEAT", AgentView::lastHeartbeat);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
