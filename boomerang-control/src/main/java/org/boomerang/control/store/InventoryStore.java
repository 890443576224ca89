package org.boomerang.control.store;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.ManagerSighting;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/** Sites, the last discovered inventory of each, data-plane components, policies and groups. Thread-safe; puts are upserts. */
public interface InventoryStore {
    /** The control server's own identity; written once, on first start. */
    Optional<ControlServerIdentity> identity();

    void putIdentity(ControlServerIdentity identity);

    void putSite(Site site);

    Optional<Site> site(SiteId id);

    List<Site> sites();

    void putInventory(Inventory inventory);

    Optional<Inventory> inventory(SiteId site);

    void putProcessServer(ProcessServer server);

    List<ProcessServer> processServers();

    void putMasterTarget(MasterTarget target);

    List<MasterTarget> masterTargets();

    void putAgent(Agent agent);

    Optional<Agent> agent(SiteId site, MachineId machine);

    /** Every agent that has reported, ordered by site and machine. */
    List<Agent> agents();

    /**
     * Records that {@code sighting}'s manager was seen, unless a sighting of it is already stored:
     * the first one stays (insert-if-absent, also under concurrent callers).
     */
    void recordManagerSeen(ManagerSighting sighting);

    /** The first sightings of the managers of {@code site}. */
    List<ManagerSighting> managersSeen(SiteId site);

    void putPolicy(ReplicationPolicy policy);

    Optional<ReplicationPolicy> policy(PolicyId id);

    List<ReplicationPolicy> policies();

    void putGroup(ReplicationGroup group);

    Optional<ReplicationGroup> group(GroupId id);

    List<ReplicationGroup> groups();
}
