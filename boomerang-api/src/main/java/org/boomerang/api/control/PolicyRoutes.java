package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.boomerang.api.Access;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.GroupView;
import org.boomerang.api.dto.PolicyView;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;

/** Replication policies and replication groups. */
public final class PolicyRoutes implements RouteGroup {
    private final InventoryService inventory;

    public PolicyRoutes(InventoryService inventory) {
        this.inventory = requireNonNull(inventory, "inventory is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/policies", "listPolicies").access(Access.READER).tag("policies")
                        .summary("Replication policies").returns(ApiRoute.listOf(PolicyView.class))
                        .handle(call -> inventory.policies().stream().map(ControlViews::policy).toList()),
                ApiRoute.get("/api/v1/policies/{id}", "getPolicy").access(Access.READER).tag("policies")
                        .summary("One replication policy").returns(PolicyView.class)
                        .handle(call -> ControlViews.policy(inventory.policy(new PolicyId(call.path("id"))))),
                ApiRoute.put("/api/v1/policies/{id}", "putPolicy").access(Access.ADMIN).tag("policies")
                        .summary("Create or replace a replication policy").body(PolicyView.Request.class).returns(PolicyView.class)
                        .handle(call -> {
                            PolicyView.Request r = call.body(PolicyView.Request.class);
                            ReplicationPolicy p = new ReplicationPolicy(new PolicyId(call.path("id")), r.name(),
                                    seconds("rpoThresholdSeconds", r.rpoThresholdSeconds(), 0), seconds("retentionSeconds", r.retentionSeconds(), 1),
                                    seconds("crashConsistentEverySeconds", r.crashConsistentEverySeconds(), 1),
                                    seconds("appConsistentEverySeconds", r.appConsistentEverySeconds(), 0), r.multiVmSync());
                            inventory.putPolicy(p);
                            return ControlViews.policy(p);
                        }),
                ApiRoute.get("/api/v1/groups", "listGroups").access(Access.READER).tag("groups")
                        .summary("Replication groups").returns(ApiRoute.listOf(GroupView.class))
                        .handle(call -> inventory.groups().stream().map(ControlViews::group).toList()),
                ApiRoute.get("/api/v1/groups/{id}", "getGroup").access(Access.READER).tag("groups")
                        .summary("One replication group").returns(GroupView.class)
                        .handle(call -> ControlViews.group(inventory.group(new GroupId(call.path("id"))))),
                ApiRoute.put("/api/v1/groups/{id}", "putGroup").access(Access.ADMIN).tag("groups")
                        .summary("Create or rename a replication group").body(GroupView.Request.class).returns(GroupView.class)
                        .handle(call -> {
                            ReplicationGroup g = new ReplicationGroup(new GroupId(call.path("id")), call.body(GroupView.Request.class).name());
                            inventory.putGroup(g);
                            return ControlViews.group(g);
                        }));
    }

    private static Duration seconds(String field, long value, long min) {
        if (value < min) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "field '" + field + "' must be at least " + min + ", got " + value,
                    "give a whole number of seconds");
        }
        return Duration.ofSeconds(value);
    }
}
