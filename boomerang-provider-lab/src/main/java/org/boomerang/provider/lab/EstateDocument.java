package org.boomerang.provider.lab;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;

/**
 * The estate of a lab site as it is written in its estate file ({@link EstateFile}): the persisted
 * shape, kept apart from the SPI records so the file stays stable when the SPI grows. Immutable;
 * every change makes a new document. Optional values are {@code null} in the file (absent keys).
 *
 * <pre>
 * version: 1                       # EstateFile.VERSION
 * site: primary
 * resourceGroups: [rg-primary]     # the first holds machines created by failovers
 * managers:   [{id, address, type: VMWARE|HYPER_V|CLOUD, connection: CONNECTED|DISCONNECTED, addedAt}]
 * hosts:      [{id, name, type, manager (absent: standalone), discovered}]
 * datastores: [{id, name, type: VMFS|VSAN|RDM|NFS, reachableFrom: [host ids]}]
 * machines:
 *   - {id, name, kind: VM|PHYSICAL, osFamily: WINDOWS|LINUX, osVersion, host (absent: physical),
 *      resourceGroup, power: ON|OFF, bootedAt (absent while off), tools: RUNNING|DISABLED|NOT_INSTALLED,
 *      snapshots: [names], agent: {installed, registersAfter: ISO-8601 duration},
 *      disks: [{id, datastore, sizeBytes, attached, image (path relative to the estate folder), nbdUri}]}
 * created: {request id: machine id}    # machines created through the SPI, for idempotent replays
 * </pre>
 *
 * A disk has exactly one of {@code image} (a sparse raw file) and {@code nbdUri} (an NBD export,
 * e.g. a failover view).
 */
record EstateDocument(
        int version,
        String site,
        List<String> resourceGroups,
        List<Manager> managers,
        List<Host> hosts,
        List<Datastore> datastores,
        List<Machine> machines,
        Map<String, String> created) {

    EstateDocument {
        requireNonNull(site, "site is null");
        resourceGroups = resourceGroups == null ? List.of() : List.copyOf(resourceGroups);
        managers = managers == null ? List.of() : List.copyOf(managers);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        datastores = datastores == null ? List.of() : List.copyOf(datastores);
        machines = machines == null ? List.of() : List.copyOf(machines);
        created = created == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(created));
    }

    record Manager(String id, String address, HypervisorType type, ConnectionState connection, Instant addedAt) {}

    record Host(String id, String name, HypervisorType type, String manager, boolean discovered) {}

    record Datastore(String id, String name, DatastoreType type, List<String> reachableFrom) {
        Datastore {
            reachableFrom = reachableFrom == null ? List.of() : List.copyOf(reachableFrom);
        }
    }

    record Agent(boolean installed, Duration registersAfter) {
        Agent {
            registersAfter = registersAfter == null ? Duration.ZERO : registersAfter;
        }
    }

    record Disk(String id, String datastore, long sizeBytes, boolean attached, String image, String nbdUri) {
        Disk withAttached(boolean value) {
            return new Disk(id, datastore, sizeBytes, value, image, nbdUri);
        }
    }

    record Machine(String id, String name, MachineKind kind, OsFamily osFamily, String osVersion, String host,
                   String resourceGroup, PowerState power, Instant bootedAt, GuestToolsState tools, List<String> snapshots,
                   Agent agent, List<Disk> disks) {
        Machine {
            snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
            disks = disks == null ? List.of() : List.copyOf(disks);
            agent = agent == null ? new Agent(false, Duration.ZERO) : agent;
            tools = tools == null ? GuestToolsState.RUNNING : tools;
            power = power == null ? PowerState.OFF : power;
        }

        Machine withPower(PowerState p, Instant booted) {
            return new Machine(id, name, kind, osFamily, osVersion, host, resourceGroup, p, booted, tools, snapshots, agent, disks);
        }

        Machine withTools(GuestToolsState t) {
            return new Machine(id, name, kind, osFamily, osVersion, host, resourceGroup, power, bootedAt, t, snapshots, agent, disks);
        }

        Machine withSnapshots(List<String> s) {
            return new Machine(id, name, kind, osFamily, osVersion, host, resourceGroup, power, bootedAt, tools, s, agent, disks);
        }

        Machine withDisks(List<Disk> d) {
            return new Machine(id, name, kind, osFamily, osVersion, host, resourceGroup, power, bootedAt, tools, snapshots, agent, d);
        }

        Machine withResourceGroup(String g) {
            return new Machine(id, name, kind, osFamily, osVersion, host, g, power, bootedAt, tools, snapshots, agent, disks);
        }

        Machine withAgent(Agent a) {
            return new Machine(id, name, kind, osFamily, osVersion, host, resourceGroup, power, bootedAt, tools, snapshots, a, disks);
        }

        Optional<Disk> disk(String diskId) {
            return disks.stream().filter(d -> d.id().equals(diskId)).findFirst();
        }
    }

    static EstateDocument empty(String site) {
        return new EstateDocument(EstateFile.VERSION, site, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    Optional<Manager> manager(String id) {
        return managers.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    Optional<Host> host(String id) {
        return hosts.stream().filter(h -> h.id().equals(id)).findFirst();
    }

    Optional<Datastore> datastore(String id) {
        return datastores.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    Optional<Machine> machine(String id) {
        return machines.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    EstateDocument withManager(Manager m) {
        return new EstateDocument(version, site, resourceGroups, replace(managers, m, Manager::id), hosts, datastores, machines, created);
    }

    EstateDocument withHost(Host h) {
        return new EstateDocument(version, site, resourceGroups, managers, replace(hosts, h, Host::id), datastores, machines, created);
    }

    EstateDocument withDatastore(Datastore d) {
        return new EstateDocument(version, site, resourceGroups, managers, hosts, replace(datastores, d, Datastore::id), machines, created);
    }

    EstateDocument withMachine(Machine m) {
        List<String> groups = resourceGroups.contains(m.resourceGroup()) ? resourceGroups : append(resourceGroups, m.resourceGroup());
        return new EstateDocument(version, site, groups, managers, hosts, datastores, replace(machines, m, Machine::id), created);
    }

    EstateDocument updateMachine(String id, UnaryOperator<Machine> change) {
        return withMachine(change.apply(machine(id).orElseThrow()));
    }

    EstateDocument withoutMachine(String id) {
        return new EstateDocument(version, site, resourceGroups, managers, hosts, datastores,
                machines.stream().filter(m -> !m.id().equals(id)).toList(), created);
    }

    EstateDocument withCreated(String requestId, String machineId) {
        Map<String, String> c = new LinkedHashMap<>(created);
        c.put(requestId, machineId);
        return new EstateDocument(version, site, resourceGroups, managers, hosts, datastores, machines, c);
    }

    /** The resource group machines created by a failover go to. */
    String defaultResourceGroup() {
        return resourceGroups.isEmpty() ? "rg-" + site : resourceGroups.getFirst();
    }

    private static <T> List<T> replace(List<T> list, T value, java.util.function.Function<T, String> id) {
        List<T> out = new ArrayList<>();
        boolean replaced = false;
        for (T t : list) {
            if (id.apply(t).equals(id.apply(value))) {
                out.add(value);
                replaced = true;
            } else {
                out.add(t);
            }
        }
        if (!replaced) {
            out.add(value);
        }
        return out;
    }

    private static <T> List<T> append(List<T> list, T value) {
        List<T> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }
}
