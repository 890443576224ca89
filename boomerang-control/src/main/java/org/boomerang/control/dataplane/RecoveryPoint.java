package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.boomerang.common.Lsn;

/**
 * A position in one replica's journal that can be recovered. {@code groupTag} is set on the points
 * of a group marker: every member of a replication group carries the same tag at its share of one
 * consistent cut, which is how a common point of a group is found (FB-15).
 */
public record RecoveryPoint(String id, String pair, Lsn lsn, Instant time, Consistency consistency, Optional<String> groupTag) {
    public RecoveryPoint {
        requireNonNull(id, "id is null");
        requireNonNull(pair, "pair is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(time, "time is null");
        requireNonNull(consistency, "consistency is null");
        requireNonNull(groupTag, "groupTag is null");
    }
}
