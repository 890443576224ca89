package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;

/**
 * A recovery point of one disk: a marker record at an LSN. Any retained LSN can be recovered
 * ({@code lsn:N}); recovery points are the positions an operator names and lists.
 */
public record RecoveryPoint(Lsn lsn, Marker marker) {
    public RecoveryPoint {
        requireNonNull(lsn, "lsn is null");
        requireNonNull(marker, "marker is null");
    }

    public String id() {
        return marker.pointId();
    }

    public MarkerKind kind() {
        return marker.kind();
    }
}
