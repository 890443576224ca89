package org.boomerang.control.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DiskAttachment;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.GuestTools;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.Host;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineLifecycle;
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.PowerControl;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.PresenceDetection;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.Snapshots;

/**
 * A hand-written site provider over an in-memory estate. Records every call (in {@link #calls()},
 * e.g. {@code powerOff web1}) so tests can assert what happened and in which order; can be told to
 * fail a machine's power calls. Thread-safe (synchronized).
 */
public final class FakeSiteProvider implements SiteProvider, PowerControl, MachineLifecycle, DiskAttachment, Snapshots,
        GuestTools, PresenceDetection {
    private final SiteId site;
    private final Map<ManagerId, HypervisorManager> managers = new LinkedHashMap<>();
    private final Map<org.boomerang.provider.HostId, Host> hosts = new LinkedHashMap<>();
    private final Map<org.boomerang.provider.DatastoreId, Datastore> datastores = new LinkedHashMap<>();
    private final Map<MachineId, Machine> machines = new LinkedHashMap<>();
    private final Map<String, MachineId> createdByRequest = new HashMap<>();
    private final Map<MachineId, MachinePresence> presence = new HashMap<>();
    private final Set<MachineId> unreachable = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new ArrayList<>();
    private volatile java.util.concurrent.CountDownLatch createGate;

    public FakeSiteProvider(SiteId site) {
        this.site = site;
    }

    // estate set-up

    public synchronized FakeSiteProvider manager(HypervisorManager m) {
        managers.put(m.id(), m);
        return this;
    }

    public synchronized FakeSiteProvider host(Host h) {
        hosts.put(h.id(), h);
        return this;
    }

    public synchronized FakeSiteProvider datastore(Datastore d) {
        datastores.put(d.id(), d);
        return this;
    }

    public synchronized FakeSiteProvider machine(Machine m) {
        machines.put(m.id(), m);
        return this;
    }

    public synchronized void removeMachine(MachineId id) {
        machines.remove(id);
    }

    public synchronized void setConnection(ManagerId id, ConnectionState state) {
        managers.put(id, managers.get(id).withConnection(state));
    }

    public synchronized void setPresence(MachineId id, MachinePresence p) {
        presence.put(id, p);
    }

    /** Machine creation waits at this gate until it is opened. */
    public void holdCreates(java.util.concurrent.CountDownLatch gate) {
        this.createGate = gate;
    }

    /** Power calls on this machine fail as if its host were unreachable. */
    public void makeUnreachable(MachineId id) {
        unreachable.add(id);
    }

    public void makeReachable(MachineId id) {
        unreachable.remove(id);
    }

    public synchronized Optional<Machine> find(MachineId id) {
        return Optional.ofNullable(machines.get(id));
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    // SiteProvider

    @Override
    public SiteId site() {
        return site;
    }

    @Override
    public synchronized Inventory discover() {
        return new Inventory(site, List.copyOf(managers.values()), List.copyOf(hosts.values()),
                List.copyOf(datastores.values()), List.copyOf(machines.values()));
    }

    @Override
    public PowerControl power() {
        return this;
    }

    @Override
    public MachineLifecycle machines() {
        return this;
    }

    @Override
    public DiskAttachment disks() {
        return this;
    }

    @Override
    public Snapshots snapshots() {
        return this;
    }

    @Override
    public GuestTools guestTools() {
        return this;
    }

    @Override
    public PresenceDetection presence() {
        return this;
    }

    @Override
    public synchronized void powerOn(MachineId machine) {
        calls.add("powerOn " + machine);
        reachable(machine);
        machines.put(machine, require(machine).withPower(PowerState.ON));
    }

    @Override
    public synchronized void powerOff(MachineId machine) {
        calls.add("powerOff " + machine);
        reachable(machine);
        Machine m = machines.get(machine);
        if (m != null) {
            machines.put(machine, m.withPower(PowerState.OFF));
        }
    }

    @Override
    public Machine create(MachineSpec spec, String requestId) {
        java.util.concurrent.CountDownLatch gate = createGate;
        if (gate != null) {
            try {
                gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return createNow(spec, requestId);
    }

    private synchronized Machine createNow(MachineSpec spec, String requestId) {
        MachineId existing = createdByRequest.get(requestId);
        if (existing != null && machines.containsKey(existing)) {
            return machines.get(existing);
        }
        calls.add("create " + spec.name() + " on " + spec.host() + "/" + spec.datastore());
        MachineId id = new MachineId(spec.name() + "@" + site + "#" + (createdByRequest.size() + 1));
        List<MachineDisk> disks = new ArrayList<>();
        for (DiskSpec d : spec.disks()) {
            disks.add(new MachineDisk(d.id(), spec.datastore(), d.sizeBytes(), true));
        }
        Machine m = new Machine(id, spec.name(), spec.kind(), spec.os(), disks, PowerState.OFF, GuestToolsState.RUNNING,
                List.of(), Optional.of(spec.host()), "rg-" + site);
        machines.put(id, m);
        createdByRequest.put(requestId, id);
        return m;
    }

    @Override
    public synchronized void delete(MachineId machine) {
        calls.add("delete " + machine);
        machines.remove(machine);
    }

    @Override
    public synchronized void attach(MachineId machine, DiskId disk) {
        calls.add("attach " + disk + " to " + machine);
        managerConnected(machine);
    }

    @Override
    public synchronized void detach(MachineId machine, DiskId disk) {
        calls.add("detach " + disk + " from " + machine);
        managerConnected(machine);
    }

    @Override
    public synchronized List<String> list(MachineId machine) {
        return find(machine).map(Machine::snapshots).orElse(List.of());
    }

    @Override
    public synchronized void create(MachineId machine, String name) {
        Machine m = require(machine);
        List<String> s = new ArrayList<>(m.snapshots());
        s.add(name);
        machines.put(machine, m.withSnapshots(s));
    }

    @Override
    public synchronized void delete(MachineId machine, String name) {
        Machine m = require(machine);
        List<String> s = new ArrayList<>(m.snapshots());
        s.remove(name);
        machines.put(machine, m.withSnapshots(s));
    }

    @Override
    public synchronized void enable(MachineId machine) {
        calls.add("toolsEnable " + machine);
        reachable(machine);
        machines.put(machine, require(machine).withTools(GuestToolsState.RUNNING));
    }

    @Override
    public synchronized void disable(MachineId machine) {
        calls.add("toolsDisable " + machine);
        machines.put(machine, require(machine).withTools(GuestToolsState.DISABLED));
    }

    @Override
    public synchronized void install(MachineId machine) {
        calls.add("toolsInstall " + machine);
        machines.put(machine, require(machine).withTools(GuestToolsState.RUNNING));
    }

    @Override
    public synchronized void uninstall(MachineId machine) {
        calls.add("toolsUninstall " + machine);
        machines.put(machine, require(machine).withTools(GuestToolsState.NOT_INSTALLED));
    }

    @Override
    public synchronized MachinePresence presence(MachineId machine, String expectedResourceGroup) {
        if (presence.containsKey(machine)) {
            return presence.get(machine);
        }
        return machines.containsKey(machine) ? MachinePresence.PRESENT : MachinePresence.DELETED;
    }

    private Machine require(MachineId id) {
        Machine m = machines.get(id);
        if (m == null) {
            throw new BoomerangException(ProviderError.PROVIDER_MACHINE_NOT_FOUND, "no machine " + id + " at " + site, "");
        }
        return m;
    }

    private void reachable(MachineId id) {
        if (unreachable.contains(id)) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "machine " + id + " is unreachable", "");
        }
    }

    private void managerConnected(MachineId machine) {
        Machine m = require(machine);
        Optional<ManagerId> mgr = m.host().map(hosts::get).flatMap(Host::manager);
        if (mgr.isPresent() && managers.get(mgr.get()).connection() != ConnectionState.CONNECTED) {
            throw new BoomerangException(ProviderError.PROVIDER_MANAGER_DISCONNECTED, "vCenter " + mgr.get() + " is disconnected", "");
        }
    }
}
