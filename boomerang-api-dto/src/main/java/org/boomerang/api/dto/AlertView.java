package org.boomerang.api.dto;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/alerts}: an item whose measured RPO passes its policy's threshold, one of whose
 * roles (agent, process server, master target) cannot be reached, or whose replication failed; with
 * its health, its measured RPO and the policy's threshold in seconds, and every condition of its health.
 */
public record AlertView(
        String item,
        ItemStateView state,
        ItemHealthView health,
        @Nullable Double rpoSeconds,
        long rpoThresholdSeconds,
        List<HealthConditionView> conditions) {
    public AlertView {
        conditions = List.copyOf(conditions);
    }
}
