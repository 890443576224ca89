package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/** Machines recovered to one common consistent point; members name their group in {@link ProtectedItem#group()}. */
public record ReplicationGroup(GroupId id, String name) {
    public ReplicationGroup {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
    }
}
