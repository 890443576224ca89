package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A machine's agent as its site sees it: whether it is installed, and when it last reported in.
 * After a machine boots its agent needs time to report (up to 15 minutes, FB-21); until it has
 * reported since the boot it does not count as registered.
 */
public record AgentPresence(boolean installed, Optional<Instant> reportedAt) {
    public static final AgentPresence NONE = new AgentPresence(false, Optional.empty());

    public AgentPresence {
        requireNonNull(reportedAt, "reportedAt is null");
        if (!installed && reportedAt.isPresent()) {
            throw new IllegalArgumentException("an agent that is not installed cannot have reported");
        }
    }

    /** True when the agent is installed and has reported at or after {@code bootedAt}. */
    public boolean reportedSince(Instant bootedAt) {
        return installed && reportedAt.isPresent() && !reportedAt.get().isBefore(bootedAt);
    }
}
