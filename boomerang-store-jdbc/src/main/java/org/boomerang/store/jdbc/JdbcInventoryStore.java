package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
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
import org.boomerang.control.store.InventoryStore;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.SiteId;

/** Identity, sites, inventories, components, policies and groups: one keyed document table each. Thread-safe. */
final class JdbcInventoryStore implements InventoryStore {
    private final Statements sql;
    private final DocumentCodec codec;

    JdbcInventoryStore(Statements sql, DocumentCodec codec) {
        this.sql = requireNonNull(sql, "sql is null");
        this.codec = requireNonNull(codec, "codec is null");
    }

    private void put(String table, String keyColumn, String key, Object doc) {
        sql.update("INSERT INTO " + table + " (" + keyColumn + ", doc) VALUES (?, ?) ON CONFLICT (" + keyColumn
                + ") DO UPDATE SET doc = excluded.doc", key, codec.write(doc));
    }

    private <T> Optional<T> get(String table, String keyColumn, String key, Class<T> type) {
        return sql.one("SELECT doc FROM " + table + " WHERE " + keyColumn + " = ?", rs -> codec.read(rs.getString(1), type), key);
    }

    private <T> List<T> all(String table, String keyColumn, Class<T> type) {
        return sql.query("SELECT doc FROM " + table + " ORDER BY " + keyColumn, rs -> codec.read(rs.getString(1), type));
    }

    @Override
    public Optional<ControlServerIdentity> identity() {
        return sql.one("SELECT doc FROM control_identity WHERE singleton = 1", rs -> codec.read(rs.getString(1), ControlServerIdentity.class));
    }

    @Override
    public void putIdentity(ControlServerIdentity identity) {
        sql.update("INSERT INTO control_identity (singleton, doc) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET doc = excluded.doc",
                codec.write(identity));
    }

    @Override
    public void putSite(Site site) {
        put("sites", "id", site.id().value(), site);
    }

    @Override
    public Optional<Site> site(SiteId id) {
        return get("sites", "id", id.value(), Site.class);
    }

    @Override
    public List<Site> sites() {
        return all("sites", "id", Site.class);
    }

    @Override
    public void putInventory(Inventory inventory) {
        put("inventories", "site_id", inventory.site().value(), inventory);
    }

    @Override
    public Optional<Inventory> inventory(SiteId site) {
        return get("inventories", "site_id", site.value(), Inventory.class);
    }

    @Override
    public void putProcessServer(ProcessServer server) {
        put("process_servers", "id", server.id(), server);
    }

    @Override
    public List<ProcessServer> processServers() {
        return all("process_servers", "id", ProcessServer.class);
    }

    @Override
    public void putMasterTarget(MasterTarget target) {
        put("master_targets", "machine_id", target.machine().value(), target);
    }

    @Override
    public List<MasterTarget> masterTargets() {
        return all("master_targets", "machine_id", MasterTarget.class);
    }

    @Override
    public void putAgent(Agent agent) {
        sql.update("INSERT INTO agent_heartbeats (site_id, machine_id, doc) VALUES (?, ?, ?) ON CONFLICT (site_id, machine_id) "
                + "DO UPDATE SET doc = excluded.doc", agent.site().value(), agent.machine().value(), codec.write(agent));
    }

    @Override
    public Optional<Agent> agent(SiteId site, MachineId machine) {
        return sql.one("SELECT doc FROM agent_heartbeats WHERE site_id = ? AND machine_id = ?",
                rs -> codec.read(rs.getString(1), Agent.class), site.value(), machine.value());
    }

    @Override
    public List<Agent> agents() {
        return sql.query("SELECT doc FROM agent_heartbeats ORDER BY site_id, machine_id", rs -> codec.read(rs.getString(1), Agent.class));
    }

    @Override
    public void recordManagerSeen(ManagerSighting sighting) {
        sql.update("INSERT INTO manager_sightings (site_id, manager_id, first_seen_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (site_id, manager_id) DO NOTHING",
                sighting.site().value(), sighting.manager().value(), sighting.firstSeenAt().toString());
    }

    @Override
    public List<ManagerSighting> managersSeen(SiteId site) {
        return sql.query("SELECT manager_id, first_seen_at FROM manager_sightings WHERE site_id = ? ORDER BY manager_id",
                rs -> new ManagerSighting(site, new ManagerId(rs.getString(1)), Instant.parse(rs.getString(2))), site.value());
    }

    @Override
    public void putPolicy(ReplicationPolicy policy) {
        put("replication_policies", "id", policy.id().value(), policy);
    }

    @Override
    public Optional<ReplicationPolicy> policy(PolicyId id) {
        return get("replication_policies", "id", id.value(), ReplicationPolicy.class);
    }

    @Override
    public List<ReplicationPolicy> policies() {
        return all("replication_policies", "id", ReplicationPolicy.class);
    }

    @Override
    public void putGroup(ReplicationGroup group) {
        put("replication_groups", "id", group.id().value(), group);
    }

    @Override
    public Optional<ReplicationGroup> group(GroupId id) {
        return get("replication_groups", "id", id.value(), ReplicationGroup.class);
    }

    @Override
    public List<ReplicationGroup> groups() {
        return all("replication_groups", "id", ReplicationGroup.class);
    }
}
