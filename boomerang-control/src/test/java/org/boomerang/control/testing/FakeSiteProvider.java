package org.boomerang.control.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.provider.AgentPresence;
import org.boomerang.provider.AgentSetup;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.EstateEditor;
import org.boomerang.provider.NewMachine;
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
        GuestTools, PresenceDetection, EstateEditor {
    private final SiteId site;
    private final Clock clock;
    private final Map<MachineId, AgentSetup> agents = new HashMap<>();
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
        this(site, Clock.SYSTEM);
    }

    public FakeSiteProvider(SiteId site, Clock clock) {
        this.site = site;
        this.clock = clock;
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
        return Optional.ofNullable(machines.get(id)).map(this::observed);
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
                List.copyOf(datastores.values()), machines.values().stream().map(this::observed).toList());
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
    public Optional<EstateEditor> editor() {
        return Optional.of(this);
    }

    /** The (never created) image a fake disk claims to live in. */
    public static DiskBacking imageOf(String disk) {
        return new DiskBacking.ImageFile(Path.of("/fake-estate", disk + ".img"));
    }

    @Override
    public synchronized void powerOn(MachineId machine) {
        calls.add("powerOn " + machine);
        reachable(machine);
        Machine m = require(machine);
        if (m.power() == PowerState.OFF) {
            Instant now = clock.now();
            AgentSetup setup = agents.getOrDefault(machine, AgentSetup.AT_ONCE);
            m = m.booted(now).withAgent(setup.installed() ? new AgentPresence(true, Optional.of(now.plus(setup.registersAfter()))) : AgentPresence.NONE);
            machines.put(machine, m);
        }
    }

    @Override
    public synchronized void powerOff(MachineId machine) {
        calls.add("powerOff " + machine);
        reachable(machine);
        Machine m = machines.get(machine);
        if (m != null) {
            machines.put(machine, m.shutDown());
        }
    }

    // EstateEditor

    @Override
    public synchronized void putManager(HypervisorManager m) {
        manager(m);
    }

    @Override
    public synchronized void setConnection(ManagerId id, ConnectionState state) {
        HypervisorManager m = managers.get(id);
        if (m == null) {
            throw new BoomerangException(ProviderError.PROVIDER_MANAGER_NOT_FOUND, "no manager " + id + " at " + site, "");
        }
        managers.put(id, m.withConnection(state));
    }

    @Override
    public synchronized void putHost(Host h) {
        host(h);
    }

    @Override
    public synchronized void putDatastore(Datastore d) {
        datastore(d);
    }

    @Override
    public synchronized Machine addMachine(NewMachine spec) {
        Machine existing = machines.get(spec.id());
        if (existing != null) {
            return existing;
        }
        List<MachineDisk> disks = spec.disks().stream().map(d -> new MachineDisk(d.id(), spec.datastore(), d.sizeBytes(), true,
                d.existing().orElse(imageOf(spec.id() + "-" + d.id())))).toList();
        Instant now = clock.now();
        agents.put(spec.id(), spec.agent());
        Machine m = new Machine(spec.id(), spec.name(), spec.kind(), spec.os(), disks, PowerState.OFF, GuestToolsState.RUNNING, List.of(),
                spec.host(), spec.resourceGroup(), Optional.empty(), AgentPresence.NONE);
        machines.put(spec.id(), m);
        if (spec.power() == PowerState.ON) {
            powerOn(spec.id());
        }
        return machines.get(spec.id());
    }

    @Override
    public synchronized void moveMachine(MachineId machine, String resourceGroup) {
        machines.put(machine, require(machine).withResourceGroup(resourceGroup));
    }

    @Override
    public synchronized void setAgent(MachineId machine, AgentSetup agent) {
        Machine m = require(machine);
        agents.put(machine, agent);
        AgentPresence p = !agent.installed() ? AgentPresence.NONE
                : new AgentPresence(true, m.bootedAt().map(b -> b.plus(agent.registersAfter())));
        machines.put(machine, m.withAgent(p));
    }

    /** The fake's view of time: a machine's agent reports at boot + delay, shown once that time has come. */
    private Machine observed(Machine m) {
        Instant now = clock.now();
        AgentPresence a = m.agent();
        if (a.reportedAt().isPresent() && a.reportedAt().get().isAfter(now)) {
            return m.withAgent(new AgentPresence(true, Optional.empty()));
        }
        return m;
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
            disks.add(new MachineDisk(d.id(), spec.datastore(), d.sizeBytes(), true, d.existing().orElse(imageOf(id + "-" + d.id()))));
        }
        Machine m = new Machine(id, spec.name(), spec.kind(), spec.os(), disks, PowerState.OFF, GuestToolsState.RUNNING,
                List.of(), Optional.of(spec.host()), "rg-" + site, Optional.empty(), AgentPresence.NONE);
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
        Machine target = require(machine);
        Optional<MachineDisk> own = target.disk(disk);
        if (own.isPresent()) {
            machines.put(machine, target.withDisks(target.disks().stream().map(d -> d.id().equals(disk) ? d.withAttached(true) : d).toList()));
            return;
        }
        Machine from = machines.values().stream().filter(m -> m.disk(disk).isPresent()).findFirst()
                .orElseThrow(() -> new BoomerangException(ProviderError.PROVIDER_DISK_NOT_FOUND, "no disk " + disk + " at " + site, ""));
        MachineDisk d = from.disk(disk).orElseThrow();
        if (d.attached()) {
            throw new BoomerangException(ProviderError.PROVIDER_DISK_IN_USE, "disk " + disk + " is attached to " + from.id(), "");
        }
        machines.put(from.id(), from.withDisks(from.disks().stream().filter(x -> !x.id().equals(disk)).toList()));
        List<MachineDisk> added = new ArrayList<>(target.disks());
        added.add(d.withAttached(true));
        machines.put(machine, target.withDisks(added));
    }

    @Override
    public synchronized void detach(MachineId machine, DiskId disk) {
        calls.add("detach " + disk + " from " + machine);
        managerConnected(machine);
        Machine m = require(machine);
        machines.put(machine, m.withDisks(m.disks().stream().map(d -> d.id().equals(disk) ? d.withAttached(false) : d).toList()));
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
        Machine m = machines.get(machine);
        if (m == null) {
            return MachinePresence.DELETED;
        }
        return m.resourceGroup().equals(expectedResourceGroup) ? MachinePresence.PRESENT : MachinePresence.MOVED;
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
