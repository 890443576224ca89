package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.boomerang.control.protection.ItemId;

/** Ordered groups of protected items failed over together; groups run one after another. */
public record RecoveryPlan(PlanId id, String name, List<PlanGroup> groups) {
    public RecoveryPlan {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        groups = List.copyOf(groups);
    }

    public List<ItemId> items() {
        return groups.stream().flatMap(g -> g.items().stream()).toList();
    }
}
