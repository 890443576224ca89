package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;

/**
 * A recovery point of a machine: one marker present in the journal of every disk of the pair's replica
 * (journals are per disk; the journal's own {@code RecoveryPoint} is one disk's share of it). {@code lsn}
 * is the highest of the disks' marker positions. {@code groupTag} is set on the points of a group
 * marker: every member of a replication group carries the same tag at its share of one consistent cut,
 * which is how a common point of a group is found (FB-15).
 */
public record MachinePoint(PointId id, PairId pair, Lsn lsn, Instant time, MarkerKind consistency, Optional<String> groupTag) {
    public MachinePoint {
        requireNonNull(id, "id is null");
        requireNonNull(pair, "pair is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(time, "time is null");
        requireNonNull(consistency, "consistency is null");
        requireNonNull(groupTag, "groupTag is null");
    }
}
