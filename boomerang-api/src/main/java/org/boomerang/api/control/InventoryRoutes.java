package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.boomerang.api.Access;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.AgentView;
import org.boomerang.api.dto.IdentityView;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.MasterTargetView;
import org.boomerang.api.dto.ProcessServerRequest;
import org.boomerang.api.dto.ProcessServerView;
import org.boomerang.api.dto.SiteRequest;
import org.boomerang.api.dto.SiteView;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.provider.HostId;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * Inventory: the server's identity, sites and their discovered inventories (discover, list),
 * process servers, master targets, agents, and powering on a machine (refused when fenced).
 */
public final class InventoryRoutes implements RouteGroup {
    private static final String TAG = "inventory";
    private final InventoryService inventory;
    private final ProtectionService protection;

    public InventoryRoutes(InventoryService inventory, ProtectionService protection) {
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.protection = requireNonNull(protection, "protection is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/identity", "getIdentity").access(Access.READER).tag(TAG)
                        .summary("This control server's identity (FB-3, FB-13)").returns(IdentityView.class)
                        .handle(call -> ControlViews.identity(inventory.identity())),
                ApiRoute.get("/api/v1/sites", "listSites").access(Access.READER).tag(TAG)
                        .summary("The sites and their providers").returns(ApiRoute.listOf(SiteView.class))
                        .handle(call -> inventory.sites().stream().map(ControlViews::site).toList()),
                ApiRoute.put("/api/v1/sites/{site}", "putSite").access(Access.ADMIN).tag(TAG)
                        .summary("Add or replace a site").body(SiteRequest.class).returns(SiteView.class)
                        .handle(call -> {
                            SiteRequest req = call.body(SiteRequest.class);
                            SiteRole role = switch (req.role()) {
                                case PRIMARY -> SiteRole.PRIMARY;
                                case RECOVERY -> SiteRole.RECOVERY;
                            };
                            Site site = new Site(new SiteId(call.path("site")), role, req.provider());
                            inventory.addSite(site);
                            return ControlViews.site(site);
                        }),
                ApiRoute.get("/api/v1/sites/{site}/inventory", "getInventory").access(Access.READER).tag(TAG)
                        .summary("The inventory of a site as discovered now (the last discovered one when the site cannot be reached)")
                        .returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.current(site(call)))),
                ApiRoute.post("/api/v1/sites/{site}/discover", "discoverSite").access(Access.OPERATOR).tag(TAG)
                        .summary("Discover a site now through its provider").returns(InventoryView.class)
                        .handle(call -> ControlViews.inventory(inventory.refresh(site(call)))),
                ApiRoute.post("/api/v1/sites/{site}/machines/{machine}/power-on", "powerOnMachine").access(Access.OPERATOR).tag(TAG)
                        .summary("Power a machine on; refused while it is fenced after a failover")
                        .handle(call -> {
                            protection.powerOn(site(call), new MachineId(call.path("machine")));
                            return null;
                        }),
                ApiRoute.get("/api/v1/process-servers", "listProcessServers").access(Access.READER).tag(TAG)
                        .summary("Registered process servers").returns(ApiRoute.listOf(ProcessServerView.class))
                        .handle(call -> inventory.processServers().stream().map(ControlViews::processServer).toList()),
                ApiRoute.put("/api/v1/process-servers/{id}", "putProcessServer").access(Access.ADMIN).tag(TAG)
                        .summary("Register a process server").body(ProcessServerRequest.class).returns(ProcessServerView.class)
                        .handle(call -> {
                            ProcessServerRequest req = call.body(ProcessServerRequest.class);
                            ProcessServer ps = new ProcessServer(call.path("id"), new SiteId(req.site()), req.address());
                            inventory.registerProcessServer(ps);
                            return ControlViews.processServer(ps);
                        }),
                ApiRoute.get("/api/v1/master-targets", "listMasterTargets").access(Access.READER).tag(TAG)
                        .summary("Registered master targets").returns(ApiRoute.listOf(MasterTargetView.class))
                        .handle(call -> inventory.masterTargets().stream().map(ControlViews::masterTarget).toList()),
                ApiRoute.put("/api/v1/master-targets/{machine}", "putMasterTarget").access(Access.ADMIN).tag(TAG)
                        .summary("Register a master target").body(MasterTargetView.Request.class).returns(MasterTargetView.class)
                        .handle(call -> {
                            MasterTargetView.Request req = call.body(MasterTargetView.Request.class);
                            MasterTarget mt = new MasterTarget(new MachineId(call.path("machine")), new SiteId(req.site()), new HostId(req.host()));
                            inventory.registerMasterTarget(mt);
                            return ControlViews.masterTarget(mt);
                        }),
                ApiRoute.get("/api/v1/sites/{site}/manager-sightings", "listManagerSightings").access(Access.READER).tag(TAG)
                        .summary("When this control server first saw each hypervisor manager of a site (FB-3)")
                        .returns(ApiRoute.listOf(org.boomerang.api.dto.ManagerSightingView.class))
                        .handle(call -> inventory.managersSeen(site(call)).stream()
                                .map(s -> new org.boomerang.api.dto.ManagerSightingView(s.site().value(), s.manager().value(), s.firstSeenAt()))
                                .toList()),
                ApiRoute.get("/api/v1/agents", "listAgents").access(Access.READER).tag(TAG)
                        .summary("Every agent that has reported, by site and machine").returns(ApiRoute.listOf(AgentView.class))
                        .handle(call -> inventory.agents().stream().map(ControlViews::agent).toList()),
                ApiRoute.get("/api/v1/sites/{site}/agents/{machine}", "getAgent").access(Access.READER).tag(TAG)
                        .summary("The agent of a machine at a site: registration and last heartbeat (FB-21)").returns(AgentView.class)
                        .handle(call -> ControlViews.agent(inventory.agent(site(call), new MachineId(call.path("machine")))
                                .orElseThrow(() -> new BoomerangException(ControlError.MACHINE_NOT_FOUND,
                                        "no agent has registered for machine " + call.path("machine") + " at site " + call.path("site"),
                                        "after the machine boots its agent needs up to 15 minutes to register (FB-21); retry then")))),
                ApiRoute.post("/api/v1/sites/{site}/agents/{machine}/heartbeat", "agentHeartbeat").access(Access.ADMIN).tag(TAG)
                        .summary("The agent of a machine at a site reports in; the first heartbeat registers it").returns(AgentView.class)
                        .handle(call -> ControlViews.agent(inventory.agentHeartbeat(site(call), new MachineId(call.path("machine"))))));
    }

    private SiteId site(org.boomerang.api.ApiCall call) {
        SiteId id = new SiteId(call.path("site"));
        inventory.site(id);
        return id;
    }
}
