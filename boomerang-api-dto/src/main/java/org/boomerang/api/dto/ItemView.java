package org.boomerang.api.dto;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A protected item: what was requested ({@code activeOperation}, {@code activeJob}) apart from what
 * happened ({@code state}, {@code health}, {@code lastError}); {@code health} is derived from replication
 * facts measured now: {@code replication} (absent while the item does not replicate) and
 * {@code conditions} (the reasons it is not OK, empty when OK); {@code allowedActions} are the
 * operations its state allows now. States and operations are the lower-case, dashed labels of
 * SPEC §3 ({@code failed-over}, {@code reprotect}): {@link ItemStateView} and {@link OperationView},
 * enums a newer server may add values to (see there). {@code retentionSeconds} is how long the item's
 * replica keeps recovery points: the retention chosen at its last reprotect ({@code retentionFromPolicy}
 * false), else its policy's. {@code version} grows with every change.
 */
public record ItemView(
        String id,
        String machine,
        MachineKindView kind,
        String os,
        String primarySite,
        String recoverySite,
        String policy,
        @Nullable String group,
        ItemStateView state,
        ItemHealthView health,
        @Nullable ReplicationView replication,
        List<HealthConditionView> conditions,
        @Nullable OperationView activeOperation,
        @Nullable String activeJob,
        @Nullable String recoveryMachine,
        @Nullable String point,
        @Nullable String fencedSite,
        @Nullable String processServer,
        long retentionSeconds,
        boolean retentionFromPolicy,
        Instant protectedAt,
        @Nullable ErrorView lastError,
        List<OperationView> allowedActions,
        long version) {}
