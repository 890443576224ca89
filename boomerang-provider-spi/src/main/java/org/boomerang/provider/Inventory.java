package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One discovery of a site: everything its provider can see, at one moment. */
public record Inventory(
        SiteId site,
        List<HypervisorManager> managers,
        List<Host> hosts,
        List<Datastore> datastores,
        List<Machine> machines) {
    public Inventory {
        requireNonNull(site, "site is null");
        managers = List.copyOf(managers);
        hosts = List.copyOf(hosts);
        datastores = List.copyOf(datastores);
        machines = List.copyOf(machines);
    }

    public Optional<Machine> machine(MachineId id) {
        return machines.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Optional<Host> host(HostId id) {
        return hosts.stream().filter(h -> h.id().equals(id)).findFirst();
    }

    public Optional<Datastore> datastore(DatastoreId id) {
        return datastores.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    public Optional<HypervisorManager> manager(ManagerId id) {
        return managers.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
