package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintWriter;
import java.util.List;
import org.boomerang.common.ByteSize;
import org.boomerang.api.dto.AgentView;
import org.boomerang.api.dto.EstateEdit;
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
 * discovered, process servers, master targets, agents; powering a machine on and off; and, for a
 * lab site, changing its estate by hand (managers, hosts, datastores, machines, agents, snapshots).
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

    @Command(name = "power-off", mixinStandardHelpOptions = true, description = "Power a machine off.")
    void powerOff(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                  @Parameters(index = "1", paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        done(options, c, c.post("api/v1/sites/" + UrlPaths.encode(site) + "/machines/" + UrlPaths.encode(machine) + "/power-off", null, InventoryView.class),
                "powered off " + machine + " at " + site);
    }

    // The estate of a lab site, changed by hand (admin): the preconditions the failback rules read.

    @Command(name = "add-manager", mixinStandardHelpOptions = true, description = "Add or replace a hypervisor manager at a lab site (admin).")
    void addManager(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                    @Parameters(index = "1", paramLabel = "MANAGER") String manager,
                    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "vmware, hyper_v or cloud.") EstateEdit.HypervisorType type,
                    @Option(names = "--address", required = true, paramLabel = "ADDRESS", description = "Where it is reached.") String address,
                    @Option(names = "--disconnected", description = "Add it disconnected.") boolean disconnected) {
        estate(options, site, "managers/" + UrlPaths.encode(manager),
                new EstateEdit.Manager(address, type, disconnected ? EstateEdit.Connection.DISCONNECTED : EstateEdit.Connection.CONNECTED, null),
                "added hypervisor manager " + manager + " at " + site);
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true, description = "Disconnect a hypervisor manager of a lab site (FB-22; admin).")
    void disconnect(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                    @Parameters(index = "1", paramLabel = "MANAGER") String manager) {
        estate(options, site, "managers/" + UrlPaths.encode(manager) + "/connection",
                new EstateEdit.ManagerConnection(EstateEdit.Connection.DISCONNECTED), "disconnected " + manager + " at " + site);
    }

    @Command(name = "connect", mixinStandardHelpOptions = true, description = "Connect a hypervisor manager of a lab site (admin).")
    void connect(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                 @Parameters(index = "1", paramLabel = "MANAGER") String manager) {
        estate(options, site, "managers/" + UrlPaths.encode(manager) + "/connection",
                new EstateEdit.ManagerConnection(EstateEdit.Connection.CONNECTED), "connected " + manager + " at " + site);
    }

    @Command(name = "add-host", mixinStandardHelpOptions = true, description = "Add or replace a host at a lab site; standalone without --manager (admin).")
    void addHost(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                 @Parameters(index = "1", paramLabel = "HOST") String host,
                 @Option(names = "--type", required = true, paramLabel = "TYPE", description = "vmware, hyper_v or cloud.") EstateEdit.HypervisorType type,
                 @Option(names = "--manager", paramLabel = "MANAGER", description = "Its hypervisor manager (none: standalone).") String manager,
                 @Option(names = "--undiscovered", description = "Not yet discovered by the control server (FB-5, FB-11).") boolean undiscovered) {
        estate(options, site, "hosts/" + UrlPaths.encode(host), new EstateEdit.Host(null, type, manager, !undiscovered),
                (undiscovered ? "added undiscovered host " : "added host ") + host + " at " + site);
    }

    @Command(name = "add-datastore", mixinStandardHelpOptions = true, description = "Add or replace a datastore at a lab site (admin).")
    void addDatastore(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                      @Parameters(index = "1", paramLabel = "DATASTORE") String datastore,
                      @Option(names = "--type", required = true, paramLabel = "TYPE", description = "vmfs, vsan, rdm or nfs.") EstateEdit.DatastoreType type,
                      @Option(names = "--reachable-from", required = true, split = ",", paramLabel = "HOST", description = "The hosts that reach it.") List<String> hosts) {
        estate(options, site, "datastores/" + UrlPaths.encode(datastore), new EstateEdit.Datastore(null, type, hosts),
                "added datastore " + datastore + " at " + site);
    }

    @Command(name = "add-machine", mixinStandardHelpOptions = true,
            description = "Add a machine with new sparse disks at a lab site: a VM on a host, or a physical server without --host (admin).")
    void addMachine(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                    @Parameters(index = "1", paramLabel = "MACHINE") String machine,
                    @Option(names = "--kind", defaultValue = "vm", paramLabel = "KIND", description = "vm or physical (default: vm).") EstateEdit.MachineKind kind,
                    @Option(names = "--os-family", required = true, paramLabel = "FAMILY", description = "windows or linux.") EstateEdit.OsFamily family,
                    @Option(names = "--os-version", required = true, paramLabel = "TEXT", description = "e.g. 'Windows Server 2008 R2 SP1'.") String version,
                    @Option(names = "--host", paramLabel = "HOST", description = "The host a VM runs on.") String host,
                    @Option(names = "--datastore", required = true, paramLabel = "DATASTORE", description = "Where its disks are created.") String datastore,
                    @Option(names = "--disk", required = true, paramLabel = "SIZE", description = "A disk of SIZE (e.g. 64M, 1G); repeat for more.") List<String> disks,
                    @Option(names = "--off", description = "Add it powered off.") boolean off,
                    @Option(names = "--resource-group", paramLabel = "GROUP", description = "Its resource group (default: rg-SITE).") String group,
                    @Option(names = "--no-agent", description = "No agent installed.") boolean noAgent,
                    @Option(names = "--agent-delay", defaultValue = "0", paramLabel = "SECONDS", description = "Seconds after each boot before its agent reports in (FB-21).") long delay) {
        List<Long> sizes = disks.stream().map(ByteSize::parse).toList();
        estate(options, site, "machines/" + UrlPaths.encode(machine), new EstateEdit.Machine(kind, family, version, host, datastore, sizes,
                off ? EstateEdit.Power.OFF : EstateEdit.Power.ON, group, new EstateEdit.Agent(!noAgent, delay)), "added machine " + machine + " at " + site);
    }

    @Command(name = "delete-machine", mixinStandardHelpOptions = true, description = "Delete a machine and its disk images at a lab site (FB-1; admin).")
    void deleteMachine(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                       @Parameters(index = "1", paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        done(options, c, c.delete(estatePath(site, "machines/" + UrlPaths.encode(machine)), InventoryView.class), "deleted machine " + machine + " at " + site);
    }

    @Command(name = "move-machine", mixinStandardHelpOptions = true, description = "Move a machine to another resource group (FB-1; admin).")
    void moveMachine(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                     @Parameters(index = "1", paramLabel = "MACHINE") String machine,
                     @Option(names = "--resource-group", required = true, paramLabel = "GROUP", description = "The group to move it to.") String group) {
        estate(options, site, "machines/" + UrlPaths.encode(machine) + "/resource-group", new EstateEdit.ResourceGroup(group),
                "moved " + machine + " to resource group " + group);
    }

    @Command(name = "set-agent", mixinStandardHelpOptions = true,
            description = "Install (or with --absent remove) a machine's agent and set how long after each boot it reports in (FB-21; admin).")
    void setAgent(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                  @Parameters(index = "1", paramLabel = "MACHINE") String machine,
                  @Option(names = "--absent", description = "No agent installed.") boolean absent,
                  @Option(names = "--delay", defaultValue = "0", paramLabel = "SECONDS", description = "Seconds after each boot before it reports in.") long delay) {
        estate(options, site, "machines/" + UrlPaths.encode(machine) + "/agent", new EstateEdit.Agent(!absent, delay),
                absent ? "removed the agent of " + machine : "the agent of " + machine + " reports " + delay + "s after each boot");
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Take (or with --delete remove) a hypervisor snapshot of a machine (FB-14; admin).")
    void snapshot(@Mixin ClientOptions options, @Parameters(index = "0", paramLabel = "SITE") String site,
                  @Parameters(index = "1", paramLabel = "MACHINE") String machine, @Parameters(index = "2", paramLabel = "NAME") String name,
                  @Option(names = "--delete", description = "Delete the snapshot instead.") boolean delete) {
        String path = estatePath(site, "machines/" + UrlPaths.encode(machine) + "/snapshots/" + UrlPaths.encode(name));
        ApiClient c = options.client();
        InventoryView inv = delete ? c.delete(path, InventoryView.class) : c.put(path, null, InventoryView.class);
        done(options, c, inv, (delete ? "deleted snapshot " : "took snapshot ") + name + " of " + machine);
    }

    private void estate(ClientOptions options, String site, String rest, Object body, String message) {
        ApiClient c = options.client();
        done(options, c, c.put(estatePath(site, rest), body, InventoryView.class), message);
    }

    private static String estatePath(String site, String rest) {
        return "api/v1/sites/" + UrlPaths.encode(site) + "/estate/" + rest;
    }

    /** Prints what was done, or with {@code --output json} the site's inventory after the change. */
    private void done(ClientOptions options, ApiClient c, InventoryView inv, String message) {
        Printer p = new Printer(options.output(), out(), c.json());
        if (p.isJson()) {
            p.printJson(inv);
            return;
        }
        out().println(message);
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

    @Command(name = "manager-sightings", mixinStandardHelpOptions = true,
            description = "When this control server first saw each hypervisor manager of a site (FB-3: no failback into a vCenter seen later).")
    void managerSightings(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String site) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(c.get("api/v1/sites/" + UrlPaths.encode(site) + "/manager-sightings",
                new TypeReference<List<org.boomerang.api.dto.ManagerSightingView>>() {}),
                new Table<org.boomerang.api.dto.ManagerSightingView>().column("SITE", org.boomerang.api.dto.ManagerSightingView::site)
                        .column("MANAGER", org.boomerang.api.dto.ManagerSightingView::manager)
                        .column("FIRST SEEN", org.boomerang.api.dto.ManagerSightingView::firstSeenAt));
    }

    @Command(name = "agents", mixinStandardHelpOptions = true, description = "List every agent that has reported, with its last heartbeat.")
    void agentList(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).list(c.get("api/v1/agents", new TypeReference<List<AgentView>>() {}), agents());
    }

    @Command(name = "agent", mixinStandardHelpOptions = true, description = "Show the agent registration of a machine at a site (FB-21).")
    void agent(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String site, @Parameters(paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).one(c.get(agentPath(site, machine), AgentView.class), agents());
    }

    @Command(name = "agent-heartbeat", mixinStandardHelpOptions = true,
            description = "Record a heartbeat of the agent of a machine at a site; the first registers it (admin).")
    void heartbeat(@Mixin ClientOptions options, @Parameters(paramLabel = "SITE") String site, @Parameters(paramLabel = "MACHINE") String machine) {
        ApiClient c = options.client();
        new Printer(options.output(), out(), c.json()).one(c.post(agentPath(site, machine) + "/heartbeat", null, AgentView.class), agents());
    }

    private static String agentPath(String site, String machine) {
        return "api/v1/sites/" + UrlPaths.encode(site) + "/agents/" + UrlPaths.encode(machine);
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
        return new Table<AgentView>().column("SITE", AgentView::site).column("MACHINE", AgentView::machine).column("REGISTERED", AgentView::registeredAt)
                .column("LAST HEARTBEAT", AgentView::lastHeartbeat);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
