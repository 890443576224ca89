package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.control.store.InventoryStore;
import org.boomerang.provider.EstateEditor;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;

/**
 * The inventory facade: the control server's identity, sites and their discovered inventories,
 * process servers, master targets, agents, replication policies and groups. Thread-safe.
 */
public final class InventoryService {
    private final InventoryStore store;
    private final SiteProviders providers;
    private final Clock clock;

    public InventoryService(InventoryStore store, SiteProviders providers, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The identity stored in the database; minted on the first start. A database restored from a
     * backup keeps the identity it had (FB-13).
     */
    public ControlServerIdentity ensureIdentity(String address, SiteId site) {
        Optional<ControlServerIdentity> existing = store.identity();
        if (existing.isPresent()) {
            return existing.get();
        }
        ControlServerIdentity id = new ControlServerIdentity(UUID.randomUUID().toString(), address, site, clock.now());
        store.putIdentity(id);
        return id;
    }

    public ControlServerIdentity identity() {
        return store.identity().orElseThrow(() -> new BoomerangException(ControlError.STORE_FAILED,
                "the control database has no server identity", "start the control server once to initialise it"));
    }

    public void addSite(Site site) {
        store.putSite(requireNonNull(site, "site is null"));
    }

    public List<Site> sites() {
        return store.sites();
    }

    public Site site(SiteId id) {
        return store.site(id).orElseThrow(() -> new BoomerangException(ControlError.SITE_NOT_FOUND,
                "no site " + id, "add the site first"));
    }

    /**
     * Discovers a site now through its provider and stores what was found, recording the first
     * sighting of every hypervisor manager not seen before (FB-3).
     */
    public Inventory refresh(SiteId site) {
        Inventory inv = providers.of(site).discover();
        recordSightings(inv);
        store.putInventory(inv);
        return inv;
    }

    /**
     * Records when this control server first saw each manager of {@code inv}: now, for a manager it
     * has not seen before. A manager that is already in the site's stored inventory but has no
     * sighting was discovered by a control server from before sightings were recorded: its first
     * sighting is then the earlier of the provider's {@code addedAt} and now, once.
     */
    private void recordSightings(Inventory inv) {
        List<ManagerSighting> seen = store.managersSeen(inv.site());
        Optional<Inventory> before = Optional.empty();
        boolean readBefore = false;
        for (HypervisorManager m : inv.managers()) {
            if (seen.stream().anyMatch(s -> s.manager().equals(m.id()))) {
                continue;
            }
            if (!readBefore) {
                before = store.inventory(inv.site());
                readBefore = true;
            }
            Instant now = clock.now();
            boolean knownBefore = before.flatMap(b -> b.manager(m.id())).isPresent();
            Instant first = knownBefore && m.addedAt().isBefore(now) ? m.addedAt() : now;
            store.recordManagerSeen(new ManagerSighting(inv.site(), m.id(), first));
        }
    }

    /** When this control server first saw each hypervisor manager of {@code site} (FB-3). */
    public List<ManagerSighting> managersSeen(SiteId site) {
        return store.managersSeen(site);
    }

    /**
     * The inventory of a site as discovered now (and stored), so that power states and the addresses
     * where running machines' disks are served are current; the last stored one when the site's provider
     * cannot be reached now.
     */
    public Inventory current(SiteId site) {
        try {
            return refresh(site);
        } catch (BoomerangException e) {
            return store.inventory(site).orElseThrow(() -> e);
        }
    }

    /** The last discovered inventory of a site, discovering it if there is none yet. */
    public Inventory inventory(SiteId site) {
        return store.inventory(site).orElseGet(() -> refresh(site));
    }

    /**
     * Changes a site's estate by hand through its provider's editor, then discovers the site again
     * so the stored inventory shows the change. Refused with {@code PROVIDER_ESTATE_READ_ONLY} for a
     * site whose provider does not own its estate.
     */
    public Inventory editEstate(SiteId site, Consumer<EstateEditor> edit) {
        SiteProvider provider = providers.of(site);
        EstateEditor editor = provider.editor().orElseThrow(() -> new BoomerangException(ProviderError.PROVIDER_ESTATE_READ_ONLY,
                "the estate of site " + site + " cannot be changed through its provider",
                "only lab sites are edited through Boomerang; change this site in its own manager (vCenter, cloud portal)"));
        edit.accept(editor);
        return refresh(site);
    }

    /** Changes a site through its provider's capabilities (power, snapshots, machines), then discovers it again. */
    public Inventory changeSite(SiteId site, Consumer<SiteProvider> change) {
        change.accept(providers.of(site));
        return refresh(site);
    }

    public void registerProcessServer(ProcessServer server) {
        store.putProcessServer(requireNonNull(server, "server is null"));
    }

    public List<ProcessServer> processServers() {
        return store.processServers();
    }

    public void registerMasterTarget(MasterTarget target) {
        store.putMasterTarget(requireNonNull(target, "target is null"));
    }

    public List<MasterTarget> masterTargets() {
        return store.masterTargets();
    }

    /** The agent of {@code machine} at {@code site} reports in: the first heartbeat registers it (FB-21). */
    public Agent agentHeartbeat(SiteId site, MachineId machine) {
        Instant now = clock.now();
        Agent agent = store.agent(site, machine)
                .map(a -> new Agent(site, machine, a.registeredAt(), now))
                .orElseGet(() -> new Agent(site, machine, now, now));
        store.putAgent(agent);
        return agent;
    }

    public Optional<Agent> agent(SiteId site, MachineId machine) {
        return store.agent(site, machine);
    }

    /** Every agent that has reported, by site and machine. */
    public List<Agent> agents() {
        return store.agents();
    }

    public void putPolicy(ReplicationPolicy policy) {
        store.putPolicy(requireNonNull(policy, "policy is null"));
    }

    public ReplicationPolicy policy(PolicyId id) {
        return store.policy(id).orElseThrow(() -> new BoomerangException(ControlError.POLICY_NOT_FOUND,
                "no replication policy " + id, "create the policy first, or name an existing one"));
    }

    public List<ReplicationPolicy> policies() {
        return store.policies();
    }

    public void putGroup(ReplicationGroup group) {
        store.putGroup(requireNonNull(group, "group is null"));
    }

    public List<ReplicationGroup> groups() {
        return store.groups();
    }

    public ReplicationGroup group(GroupId id) {
        return store.group(id).orElseThrow(() -> new BoomerangException(ControlError.GROUP_NOT_FOUND,
                "no replication group " + id, "create the group first"));
    }
}
