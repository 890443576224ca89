package org.boomerang.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.MachinePoint;
import org.junit.jupiter.api.Test;

class RpoHistoryTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static MachinePoint at(long lsn, long seconds) {
        return new MachinePoint(new org.boomerang.control.dataplane.PointId("p" + lsn), org.boomerang.control.dataplane.PairId.parse("web:forward"), Lsn.of(lsn), T.plusSeconds(seconds), MarkerKind.CRASH, Optional.empty());
    }

    @Test
    void theRpoClimbsUntilAPointArrivesAndDropsToZero() {
        RpoHistory h = RpoHistory.of(List.of(at(2, 300), at(1, 0), at(3, 900)), T.plusSeconds(960), true);
        double t0 = T.getEpochSecond();
        assertThat(h.times()).containsExactly(t0, t0 + 299.999, t0 + 300, t0 + 899.999, t0 + 900, t0 + 960);
        assertThat(h.rpo()).containsExactly(0.0, 300.0, 0.0, 600.0, 0.0, 60.0);
    }

    @Test
    void anItemThatDoesNotReplicateEndsAtItsLastPoint() {
        RpoHistory h = RpoHistory.of(List.of(at(1, 0), at(2, 60)), T.plusSeconds(3600), false);
        assertThat(h.rpo()).containsExactly(0.0, 60.0, 0.0);
    }

    @Test
    void noPointsNoSeries() {
        RpoHistory h = RpoHistory.of(List.of(), T, true);
        assertThat(h.times()).isEmpty();
        assertThat(h.rpo()).isEmpty();
    }
}
