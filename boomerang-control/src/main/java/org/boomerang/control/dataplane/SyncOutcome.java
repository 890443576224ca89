package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.boomerang.common.SyncMode;

/** What a sync did; {@code fallbackReason} is non-empty when it had to copy more than asked and says why. */
public record SyncOutcome(SyncMode mode, long bytesRead, long bytesSent, long blocksChanged, Duration took, String fallbackReason) {
    public SyncOutcome {
        requireNonNull(mode, "mode is null");
        requireNonNull(took, "took is null");
        requireNonNull(fallbackReason, "fallbackReason is null");
    }
}
