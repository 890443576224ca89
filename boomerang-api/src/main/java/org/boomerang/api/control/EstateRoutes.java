package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.boomerang.api.Access;
import org.boomerang.api.ApiCall;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.EstateEdit;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.common.DiskId;
import org.boomerang.common.Clock;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.provider.AgentSetup;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.Host;
import org.boomerang.provider.HostId;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.NewMachine;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.SiteId;

/**
 * The estate of a lab site, changed by hand (admin): every precondition the failback rules read
 * can be set here — a disconnected vCenter, a host not yet discovered, a snapshot on the master
 * target, a recovered machine moved or deleted, an agent that registers late, a physical Windows
 * Server 2008 R2 SP1 server, disks on vSAN or RDM — and powering a machine off. Each route answers
 * with the site's inventory discovered right after the change. A site whose provider does not own
 * its estate answers {@code PROVIDER_ESTATE_READ_ONLY}.
 */
public final class EstateRoutes implements RouteGroup {
    private static final String TAG = "estate";
    private static final String BASE = "/api/v1/sites/{site}/estate";
    private final InventoryService inventory;
    private final Clock clock;

    public EstateRoutes(InventoryService inventory, Clock clock) {
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.put(BASE + "/managers/{manager}", "putEstateManager").access(Access.ADMIN).tag(TAG)
                        .summary("Add or replace a hypervisor manager (vCenter, Hyper-V host manager)").body(EstateEdit.Manager.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            EstateEdit.Manager req = call.body(EstateEdit.Manager.class);
                            HypervisorManager m = new HypervisorManager(new ManagerId(call.path("manager")), req.address(), type(req.type()),
                                    req.connection() == null ? ConnectionState.CONNECTED : connection(req.connection()),
                                    req.addedAt() == null ? clock.now() : req.addedAt());
                            return edit(call, e -> e.putManager(m));
                        }),
                ApiRoute.put(BASE + "/managers/{manager}/connection", "setEstateManagerConnection").access(Access.ADMIN).tag(TAG)
                        .summary("Connect or disconnect a hypervisor manager (FB-22)").body(EstateEdit.ManagerConnection.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            ConnectionState state = connection(call.body(EstateEdit.ManagerConnection.class).connection());
                            return edit(call, e -> e.setConnection(new ManagerId(call.path("manager")), state));
                        }),
                ApiRoute.put(BASE + "/hosts/{host}", "putEstateHost").access(Access.ADMIN).tag(TAG)
                        .summary("Add or replace a host; without a manager it is standalone (FB-5, FB-11)").body(EstateEdit.Host.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            EstateEdit.Host req = call.body(EstateEdit.Host.class);
                            String id = call.path("host");
                            Host h = new Host(new HostId(id), req.name() == null ? id : req.name(), type(req.type()),
                                    Optional.ofNullable(req.manager()).map(ManagerId::new), req.discovered() == null || req.discovered());
                            return edit(call, e -> e.putHost(h));
                        }),
                ApiRoute.put(BASE + "/datastores/{datastore}", "putEstateDatastore").access(Access.ADMIN).tag(TAG)
                        .summary("Add or replace a datastore (VMFS, VSAN, RDM, NFS) and the hosts that reach it").body(EstateEdit.Datastore.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            EstateEdit.Datastore req = call.body(EstateEdit.Datastore.class);
                            String id = call.path("datastore");
                            Set<HostId> hosts = req.reachableFrom().stream().map(HostId::new).collect(Collectors.toSet());
                            Datastore d = new Datastore(new DatastoreId(id), req.name() == null ? id : req.name(), datastoreType(req.type()), hosts);
                            return edit(call, e -> e.putDatastore(d));
                        }),
                ApiRoute.put(BASE + "/machines/{machine}", "putEstateMachine").access(Access.ADMIN).tag(TAG)
                        .summary("Add a machine with new sparse disks (a VM on a host, or a physical server)").body(EstateEdit.Machine.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            EstateEdit.Machine req = call.body(EstateEdit.Machine.class);
                            SiteId site = site(call);
                            String id = call.path("machine");
                            List<DiskSpec> disks = new java.util.ArrayList<>();
                            for (int i = 0; i < req.diskSizes().size(); i++) {
                                disks.add(DiskSpec.empty(new DiskId(id + "-disk" + i), req.diskSizes().get(i)));
                            }
                            EstateEdit.Agent agent = req.agent() == null ? new EstateEdit.Agent(true, 0L) : req.agent();
                            NewMachine m = new NewMachine(new MachineId(id), id, kind(req.kind()), new GuestOs(family(req.osFamily()), req.osVersion()),
                                    Optional.ofNullable(req.host()).map(HostId::new), new DatastoreId(req.datastore()), disks,
                                    req.power() == EstateEdit.Power.OFF ? PowerState.OFF : PowerState.ON,
                                    req.resourceGroup() == null ? "rg-" + site : req.resourceGroup(), agent(agent));
                            return ControlViews.inventory(inventory.editEstate(site, e -> e.addMachine(m)));
                        }),
                ApiRoute.delete(BASE + "/machines/{machine}", "deleteEstateMachine").access(Access.ADMIN).tag(TAG)
                        .summary("Delete a machine and its disk images (FB-1: a deleted recovered machine cannot fail back)")
                        .returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.changeSite(site(call),
                                p -> p.machines().delete(new MachineId(call.path("machine")))))),
                ApiRoute.put(BASE + "/machines/{machine}/resource-group", "moveEstateMachine").access(Access.ADMIN).tag(TAG)
                        .summary("Move a machine to another resource group (FB-1)").body(EstateEdit.ResourceGroup.class)
                        .returns(InventoryView.class)
                        .handle(call -> {
                            String group = call.body(EstateEdit.ResourceGroup.class).resourceGroup();
                            return edit(call, e -> e.moveMachine(new MachineId(call.path("machine")), group));
                        }),
                ApiRoute.put(BASE + "/machines/{machine}/agent", "setEstateAgent").access(Access.ADMIN).tag(TAG)
                        .summary("Install or remove a machine's agent and set how long after boot it reports in (FB-21)")
                        .body(EstateEdit.Agent.class).returns(InventoryView.class)
                        .handle(call -> {
                            AgentSetup setup = agent(call.body(EstateEdit.Agent.class));
                            return edit(call, e -> e.setAgent(new MachineId(call.path("machine")), setup));
                        }),
                ApiRoute.put(BASE + "/machines/{machine}/snapshots/{snapshot}", "createEstateSnapshot").access(Access.ADMIN).tag(TAG)
                        .summary("Take a hypervisor snapshot of a machine (FB-14: the master target must have none)")
                        .returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.changeSite(site(call),
                                p -> p.snapshots().create(new MachineId(call.path("machine")), call.path("snapshot"))))),
                ApiRoute.delete(BASE + "/machines/{machine}/snapshots/{snapshot}", "deleteEstateSnapshot").access(Access.ADMIN).tag(TAG)
                        .summary("Delete a hypervisor snapshot of a machine").returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.changeSite(site(call),
                                p -> p.snapshots().delete(new MachineId(call.path("machine")), call.path("snapshot"))))),
                ApiRoute.post("/api/v1/sites/{site}/machines/{machine}/power-off", "powerOffMachine").access(Access.OPERATOR).tag("inventory")
                        .summary("Power a machine off").returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.changeSite(site(call),
                                p -> p.power().powerOff(new MachineId(call.path("machine")))))));
    }

    private InventoryView edit(ApiCall call, java.util.function.Consumer<org.boomerang.provider.EstateEditor> change) {
        return ControlViews.inventory(inventory.editEstate(site(call), change));
    }

    private SiteId site(ApiCall call) {
        SiteId id = new SiteId(call.path("site"));
        inventory.site(id);
        return id;
    }

    private static AgentSetup agent(EstateEdit.Agent a) {
        long seconds = a.registersAfterSeconds() == null ? 0 : a.registersAfterSeconds();
        if (seconds < 0) {
            throw new IllegalArgumentException("registersAfterSeconds must not be negative: " + seconds);
        }
        return a.installed() ? new AgentSetup(true, Duration.ofSeconds(seconds)) : AgentSetup.ABSENT;
    }

    private static HypervisorType type(EstateEdit.HypervisorType t) {
        return switch (t) {
            case VMWARE -> HypervisorType.VMWARE;
            case HYPER_V -> HypervisorType.HYPER_V;
            case CLOUD -> HypervisorType.CLOUD;
        };
    }

    private static ConnectionState connection(EstateEdit.Connection c) {
        return switch (c) {
            case CONNECTED -> ConnectionState.CONNECTED;
            case DISCONNECTED -> ConnectionState.DISCONNECTED;
        };
    }

    private static DatastoreType datastoreType(EstateEdit.DatastoreType t) {
        return switch (t) {
            case VMFS -> DatastoreType.VMFS;
            case VSAN -> DatastoreType.VSAN;
            case RDM -> DatastoreType.RDM;
            case NFS -> DatastoreType.NFS;
        };
    }

    private static MachineKind kind(EstateEdit.MachineKind k) {
        return switch (k) {
            case VM -> MachineKind.VM;
            case PHYSICAL -> MachineKind.PHYSICAL;
        };
    }

    private static OsFamily family(EstateEdit.OsFamily f) {
        return switch (f) {
            case WINDOWS -> OsFamily.WINDOWS;
            case LINUX -> OsFamily.LINUX;
        };
    }
}
