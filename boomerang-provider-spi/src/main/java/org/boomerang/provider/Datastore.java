package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** A datastore: its type and the hosts that can reach it (FB-5). */
public record Datastore(DatastoreId id, String name, DatastoreType type, Set<HostId> reachableFrom) {
    public Datastore {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        reachableFrom = Set.copyOf(reachableFrom);
    }

    public boolean reachableFrom(HostId host) {
        return reachableFrom.contains(host);
    }
}
