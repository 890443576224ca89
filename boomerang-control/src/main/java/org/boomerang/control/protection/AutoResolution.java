package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An optional automatic end of a failover (or failback): commit it, or roll it back (cancel), once
 * {@code after} has passed since it completed. {@code deadline} is set when the failover job
 * succeeds; any commit or cancel clears the whole record.
 */
public record AutoResolution(Action action, Duration after, Optional<Instant> deadline) {
    /** What happens at the deadline. */
    public enum Action {
        COMMIT,
        ROLLBACK
    }

    public AutoResolution {
        requireNonNull(action, "action is null");
        requireNonNull(after, "after is null");
        requireNonNull(deadline, "deadline is null");
        if (!after.isPositive()) {
            throw new IllegalArgumentException("auto-" + action.name().toLowerCase(java.util.Locale.ROOT) + " delay must be positive: " + after);
        }
    }

    public static AutoResolution commitAfter(Duration after) {
        return new AutoResolution(Action.COMMIT, after, Optional.empty());
    }

    public static AutoResolution rollbackAfter(Duration after) {
        return new AutoResolution(Action.ROLLBACK, after, Optional.empty());
    }

    AutoResolution startingAt(Instant now) {
        return new AutoResolution(action, after, Optional.of(now.plus(after)));
    }
}
