package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/** Protect a machine of the primary site to the recovery site under a policy, optionally in a replication group. */
public record ProtectRequest(
        ItemId item,
        MachineId machine,
        SiteId primarySite,
        SiteId recoverySite,
        PolicyId policy,
        Optional<GroupId> group,
        Optional<String> processServer) {
    public ProtectRequest {
        requireNonNull(item, "item is null");
        requireNonNull(machine, "machine is null");
        requireNonNull(primarySite, "primarySite is null");
        requireNonNull(recoverySite, "recoverySite is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(group, "group is null");
        requireNonNull(processServer, "processServer is null");
    }
}
