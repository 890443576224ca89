package org.boomerang.control.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.protection.ItemId;
import org.junit.jupiter.api.Test;

class RecoveryPointSelectorTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final ItemId A = new ItemId("a");
    private static final ItemId B = new ItemId("b");
    private static final ItemId C = new ItemId("c");

    private static MachinePoint p(String id, long lsn, int minute, MarkerKind c, String tag) {
        return new MachinePoint(new PointId(id), PairId.forward(new ItemId("web")), Lsn.of(lsn), T.plus(Duration.ofMinutes(minute)), c, Optional.ofNullable(tag));
    }

    @Test
    void namesParseAsTheSpecWritesThem() {
        assertThat(PointRequest.parse("latest").choice()).isEqualTo(PointChoice.LATEST);
        assertThat(PointRequest.parse("latest-processed")).isEqualTo(PointRequest.LATEST_PROCESSED);
        assertThat(PointRequest.parse("LATEST-APP-CONSISTENT").choice()).isEqualTo(PointChoice.LATEST_APP_CONSISTENT);
        assertThat(PointRequest.parse("lsn:42")).isEqualTo(new PointRequest(PointChoice.LSN, "42"));
        assertThat(PointRequest.parse("p7")).isEqualTo(new PointRequest(PointChoice.POINT_ID, "p7"));
        assertThat(PointRequest.parse("lsn:42").toString()).isEqualTo("lsn:42");
        assertThat(catchThrowableOfType(BoomerangException.class, () -> PointRequest.parse("lsn:x")).code())
                .isEqualTo(ControlError.INVALID_REQUEST);
        assertThat(catchThrowableOfType(BoomerangException.class, () -> PointRequest.parse(" ")).code())
                .isEqualTo(ControlError.INVALID_REQUEST);
    }

    @Test
    void aSingleMachineGetsItsOwnPointsAndTheDataLossIsShown() {
        List<MachinePoint> pts = List.of(p("p1", 10, 0, MarkerKind.APP, null), p("p2", 20, 5, MarkerKind.CRASH, null),
                p("p3", 30, 7, MarkerKind.CRASH, null));
        assertThat(RecoveryPointSelector.forItem(A, pts, PointRequest.parse("latest")).point().id().value()).isEqualTo("p3");
        SelectedPoint app = RecoveryPointSelector.forItem(A, pts, PointRequest.parse("latest-app-consistent"));
        assertThat(app.point().id().value()).isEqualTo("p1");
        assertThat(app.dataLoss()).isEqualTo(Duration.ofMinutes(7));
        assertThat(RecoveryPointSelector.forItem(A, pts, PointRequest.parse("lsn:25")).point().id().value()).isEqualTo("p2");
        assertThat(RecoveryPointSelector.forItem(A, pts, PointRequest.parse("p2")).dataLoss()).isEqualTo(Duration.ofMinutes(2));
        assertThat(catchThrowableOfType(BoomerangException.class, () -> RecoveryPointSelector.forItem(A, pts, PointRequest.parse("lsn:5"))).code())
                .isEqualTo(FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT);
        assertThat(catchThrowableOfType(BoomerangException.class, () -> RecoveryPointSelector.forItem(A, pts, PointRequest.parse("p9"))).code())
                .isEqualTo(FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT);
        List<MachinePoint> crashOnly = pts.subList(1, 3);
        assertThat(catchThrowableOfType(BoomerangException.class,
                () -> RecoveryPointSelector.forItem(A, crashOnly, PointRequest.parse("latest-app-consistent"))).code())
                .isEqualTo(FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT);
        assertThat(catchThrowableOfType(BoomerangException.class, () -> RecoveryPointSelector.forItem(A, List.of(), PointRequest.LATEST_PROCESSED)).code())
                .isEqualTo(FailbackRule.FB_16_NO_RECOVERY_POINT);
    }

    @Test
    void aGroupGetsItsNewestCommonAppConsistentPoint() {
        Map<ItemId, List<MachinePoint>> group = new LinkedHashMap<>();
        group.put(A, List.of(p("a1", 1, 0, MarkerKind.APP, "g1"), p("a2", 2, 10, MarkerKind.APP, "g2"), p("a3", 3, 20, MarkerKind.APP, "g3"),
                p("a4", 4, 21, MarkerKind.CRASH, null)));
        group.put(B, List.of(p("b1", 1, 0, MarkerKind.APP, "g1"), p("b2", 2, 10, MarkerKind.APP, "g2"), p("b3", 3, 25, MarkerKind.CRASH, null)));
        group.put(C, List.of(p("c1", 1, 0, MarkerKind.APP, "g1"), p("c2", 2, 10, MarkerKind.APP, "g2"), p("c3", 3, 20, MarkerKind.APP, "g3")));
        Map<ItemId, SelectedPoint> app = RecoveryPointSelector.forGroup(group, PointRequest.parse("latest-app-consistent"));
        assertThat(app.get(A).point().id().value()).isEqualTo("a2");
        assertThat(app.get(B).point().id().value()).isEqualTo("b2");
        assertThat(app.get(C).point().id().value()).isEqualTo("c2");
        assertThat(app.get(A).dataLoss()).isEqualTo(Duration.ofMinutes(11));
        assertThat(app.get(B).dataLoss()).isEqualTo(Duration.ofMinutes(15));
        assertThat(app.get(C).dataLoss()).isEqualTo(Duration.ofMinutes(10));

        Map<ItemId, SelectedPoint> latest = RecoveryPointSelector.forGroup(group, PointRequest.LATEST_PROCESSED);
        assertThat(latest.values()).extracting(s -> s.point().id().value()).containsExactly("a4", "b3", "c3");
        assertThat(latest.values()).allMatch(s -> s.dataLoss().isZero());
    }

    @Test
    void aGroupWithoutACommonAppConsistentPointIsRefused() {
        Map<ItemId, List<MachinePoint>> group = new LinkedHashMap<>();
        group.put(A, List.of(p("a1", 1, 0, MarkerKind.APP, "g1")));
        group.put(B, List.of(p("b1", 1, 0, MarkerKind.APP, "g2")));
        BoomerangException e = catchThrowableOfType(BoomerangException.class,
                () -> RecoveryPointSelector.forGroup(group, PointRequest.parse("latest-app-consistent")));
        assertThat(e.code()).isEqualTo(FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT);
        assertThat(e.hint()).contains("latest-processed");
        group.put(C, List.of());
        assertThat(RecoveryPointSelector.withoutPoints(group)).containsExactly(C);
    }
}
