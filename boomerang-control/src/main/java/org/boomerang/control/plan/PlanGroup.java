package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.boomerang.control.protection.ItemId;

/** One group of a plan: its items run in parallel, between its pre and post actions. */
public record PlanGroup(String name, List<ItemId> items, List<PlanAction> pre, List<PlanAction> post) {
    public PlanGroup {
        requireNonNull(name, "name is null");
        items = List.copyOf(items);
        pre = List.copyOf(pre);
        post = List.copyOf(post);
    }
}
