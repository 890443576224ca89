package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

/** Bring the pair's target up to its source, with {@code mode}. */
public record SyncRequest(String pair, SyncMode mode) {
    public SyncRequest {
        requireNonNull(pair, "pair is null");
        requireNonNull(mode, "mode is null");
    }
}
