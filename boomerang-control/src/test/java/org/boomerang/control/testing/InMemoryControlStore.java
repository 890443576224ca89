package org.boomerang.control.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.ManagerSighting;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.control.store.ControlStore;
import org.boomerang.control.store.InventoryStore;
import org.boomerang.control.store.ItemStore;
import org.boomerang.control.store.JobStore;
import org.boomerang.control.store.PlanStore;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/** A hand-written in-memory store: the reference the JDBC store is tested against. Every method is synchronized on the store. */
public final class InMemoryControlStore implements ControlStore {
    private final Map<ItemId, ProtectedItem> items = new LinkedHashMap<>();
    private final Map<JobId, Job> jobs = new LinkedHashMap<>();
    private final Map<JobId, Map<Integer, JobStep>> steps = new LinkedHashMap<>();
    private final Map<JobId, List<JobLogEntry>> logs = new LinkedHashMap<>();
    private final Map<SiteId, Site> sites = new LinkedHashMap<>();
    private final Map<SiteId, Inventory> inventories = new LinkedHashMap<>();
    private final Map<String, ProcessServer> processServers = new LinkedHashMap<>();
    private final Map<MachineId, MasterTarget> masterTargets = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, ManagerSighting> sightings = new LinkedHashMap<>();
    private final Map<PolicyId, ReplicationPolicy> policies = new LinkedHashMap<>();
    private final Map<GroupId, ReplicationGroup> groups = new LinkedHashMap<>();
    private final Map<PlanId, RecoveryPlan> plans = new LinkedHashMap<>();
    private ControlServerIdentity identity;

    private final Items itemStore = new Items();
    private final Jobs jobStore = new Jobs();
    private final Inv inventoryStore = new Inv();
    private final Plans planStore = new Plans();

    @Override
    public ItemStore items() {
        return itemStore;
    }

    @Override
    public JobStore jobs() {
        return jobStore;
    }

    @Override
    public InventoryStore inventory() {
        return inventoryStore;
    }

    @Override
    public PlanStore plans() {
        return planStore;
    }

    @Override
    public void close() {}

    private final class Items implements ItemStore {

        @Override
        public synchronized void create(ProtectedItem item) {
            if (items.containsKey(item.id())) {
                throw new BoomerangException(ControlError.ITEM_ALREADY_PROTECTED, "item " + item.id() + " exists", "choose another id");
            }
            items.put(item.id(), item);
        }

        @Override
        public synchronized Optional<ProtectedItem> get(ItemId id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public synchronized List<ProtectedItem> list() {
            return List.copyOf(items.values());
        }

        @Override
        public synchronized ProtectedItem update(ProtectedItem item) {
            ProtectedItem current = items.get(item.id());
            if (current == null || current.version() != item.version()) {
                throw new BoomerangException(ControlError.CONCURRENT_UPDATE, "item " + item.id() + " changed meanwhile", "re-read and retry");
            }
            ProtectedItem next = item.toBuilder().version(item.version() + 1).build();
            items.put(item.id(), next);
            return next;
        }

        @Override
        public synchronized void delete(ItemId id) {
            items.remove(id);
        }

    }

    private final class Jobs implements JobStore {

        @Override
        public synchronized boolean create(Job job) {
            if (jobs.containsKey(job.id())) {
                return false;
            }
            jobs.put(job.id(), job);
            return true;
        }

        @Override
        public synchronized Optional<Job> get(JobId id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public synchronized List<Job> list() {
            List<Job> all = new ArrayList<>(jobs.values());
            all.sort(Comparator.comparing(Job::createdAt).reversed());
            return all;
        }

        @Override
        public synchronized List<Job> children(JobId parent) {
            return jobs.values().stream().filter(j -> j.parent().equals(Optional.of(parent))).toList();
        }

        @Override
        public synchronized Job update(Job job) {
            Job current = jobs.get(job.id());
            if (current == null || current.version() != job.version()) {
                throw new BoomerangException(ControlError.CONCURRENT_UPDATE, "job " + job.id() + " changed meanwhile", "re-read and retry");
            }
            Job next = new Job(job.id(), current.request(), job.state(), job.progress(), job.error(), current.createdAt(),
                    job.updatedAt(), current.leaseOwner(), current.leaseUntil(), current.cancelRequested(), current.parent(),
                    current.restartOf(), current.version() + 1);
            jobs.put(job.id(), next);
            return next;
        }

        @Override
        public synchronized boolean tryLease(JobId id, String owner, Instant until, Instant now) {
            Job j = jobs.get(id);
            if (j == null || j.state().isTerminal()) {
                return false;
            }
            boolean free = j.leaseOwner().isEmpty() || j.leaseOwner().get().equals(owner)
                    || j.leaseUntil().map(u -> u.isBefore(now)).orElse(true);
            if (!free) {
                return false;
            }
            jobs.put(id, new Job(j.id(), j.request(), j.state(), j.progress(), j.error(), j.createdAt(), j.updatedAt(),
                    Optional.of(owner), Optional.of(until), j.cancelRequested(), j.parent(), j.restartOf(), j.version()));
            return true;
        }

        @Override
        public synchronized void releaseLease(JobId id, String owner) {
            Job j = jobs.get(id);
            if (j != null && j.leaseOwner().equals(Optional.of(owner))) {
                jobs.put(id, new Job(j.id(), j.request(), j.state(), j.progress(), j.error(), j.createdAt(), j.updatedAt(),
                        Optional.empty(), Optional.empty(), j.cancelRequested(), j.parent(), j.restartOf(), j.version()));
            }
        }

        @Override
        public synchronized void requestCancel(JobId id) {
            Job j = jobs.get(id);
            if (j != null) {
                jobs.put(id, new Job(j.id(), j.request(), j.state(), j.progress(), j.error(), j.createdAt(), j.updatedAt(),
                        j.leaseOwner(), j.leaseUntil(), true, j.parent(), j.restartOf(), j.version()));
            }
        }

        @Override
        public synchronized List<JobId> runnable(Instant now, String owner) {
            return jobs.values().stream()
                    .filter(j -> !j.state().isTerminal() && j.state() != org.boomerang.control.job.JobState.WAITING_FOR_OPERATOR)
                    .filter(j -> j.leaseOwner().isEmpty() || j.leaseOwner().get().equals(owner)
                            || j.leaseUntil().map(u -> u.isBefore(now)).orElse(true))
                    .sorted(Comparator.comparing(Job::createdAt))
                    .map(Job::id)
                    .toList();
        }

        @Override
        public synchronized List<JobStep> steps(JobId job) {
            return List.copyOf(steps.getOrDefault(job, Map.of()).values().stream().sorted(Comparator.comparingInt(JobStep::index)).toList());
        }

        @Override
        public synchronized void putStep(JobStep step) {
            steps.computeIfAbsent(step.job(), k -> new LinkedHashMap<>()).put(step.index(), step);
        }

        @Override
        public synchronized void appendLog(JobId job, Instant at, String message) {
            List<JobLogEntry> l = logs.computeIfAbsent(job, k -> new ArrayList<>());
            l.add(new JobLogEntry(job, l.size() + 1, at, message));
        }

        @Override
        public synchronized List<JobLogEntry> log(JobId job) {
            return List.copyOf(logs.getOrDefault(job, List.of()));
        }

    }

    private final class Inv implements InventoryStore {

        @Override
        public synchronized Optional<ControlServerIdentity> identity() {
            return Optional.ofNullable(identity);
        }

        @Override
        public synchronized void putIdentity(ControlServerIdentity id) {
            identity = id;
        }

        @Override
        public synchronized void putSite(Site site) {
            sites.put(site.id(), site);
        }

        @Override
        public synchronized Optional<Site> site(SiteId id) {
            return Optional.ofNullable(sites.get(id));
        }

        @Override
        public synchronized List<Site> sites() {
            return List.copyOf(sites.values());
        }

        @Override
        public synchronized void putInventory(Inventory inventory) {
            inventories.put(inventory.site(), inventory);
        }

        @Override
        public synchronized Optional<Inventory> inventory(SiteId site) {
            return Optional.ofNullable(inventories.get(site));
        }

        @Override
        public synchronized void putProcessServer(ProcessServer server) {
            processServers.put(server.id(), server);
        }

        @Override
        public synchronized List<ProcessServer> processServers() {
            return List.copyOf(processServers.values());
        }

        @Override
        public synchronized void putMasterTarget(MasterTarget target) {
            masterTargets.put(target.machine(), target);
        }

        @Override
        public synchronized List<MasterTarget> masterTargets() {
            return List.copyOf(masterTargets.values());
        }

        @Override
        public synchronized void putAgent(Agent agent) {
            agents.put(agent.site().value() + "/" + agent.machine().value(), agent);
        }

        @Override
        public synchronized Optional<Agent> agent(SiteId site, MachineId machine) {
            return Optional.ofNullable(agents.get(site.value() + "/" + machine.value()));
        }

        @Override
        public synchronized List<Agent> agents() {
            return agents.values().stream().sorted(java.util.Comparator.comparing((Agent a) -> a.site().value())
                    .thenComparing(a -> a.machine().value())).toList();
        }

        @Override
        public synchronized void recordManagerSeen(ManagerSighting sighting) {
            sightings.putIfAbsent(sighting.site().value() + "/" + sighting.manager().value(), sighting);
        }

        @Override
        public synchronized List<ManagerSighting> managersSeen(SiteId site) {
            return sightings.values().stream().filter(s -> s.site().equals(site)).toList();
        }

        @Override
        public synchronized void putPolicy(ReplicationPolicy policy) {
            policies.put(policy.id(), policy);
        }

        @Override
        public synchronized Optional<ReplicationPolicy> policy(PolicyId id) {
            return Optional.ofNullable(policies.get(id));
        }

        @Override
        public synchronized List<ReplicationPolicy> policies() {
            return List.copyOf(policies.values());
        }

        @Override
        public synchronized void putGroup(ReplicationGroup group) {
            groups.put(group.id(), group);
        }

        @Override
        public synchronized Optional<ReplicationGroup> group(GroupId id) {
            return Optional.ofNullable(groups.get(id));
        }

        @Override
        public synchronized List<ReplicationGroup> groups() {
            return List.copyOf(groups.values());
        }

    }

    private final class Plans implements PlanStore {

        @Override
        public synchronized void put(RecoveryPlan plan) {
            plans.put(plan.id(), plan);
        }

        @Override
        public synchronized Optional<RecoveryPlan> get(PlanId id) {
            return Optional.ofNullable(plans.get(id));
        }

        @Override
        public synchronized List<RecoveryPlan> list() {
            return List.copyOf(plans.values());
        }

        @Override
        public synchronized void delete(PlanId id) {
            plans.remove(id);
        }
    }
}
