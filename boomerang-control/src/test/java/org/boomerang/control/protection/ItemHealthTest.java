package org.boomerang.control.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.ReplicationState;
import org.junit.jupiter.api.Test;

class ItemHealthTest {
    private static final Duration THRESHOLD = Duration.ofMinutes(15);

    private static PairHealth pair(ReplicationState state, double progress, Optional<Duration> rpo, List<String> unreachable) {
        return new PairHealth(PairId.parse("web:forward"), state, progress, rpo, 4096, Optional.of(Instant.EPOCH), Optional.empty(), unreachable);
    }

    private static List<String> codes(ItemHealth h) {
        return h.conditions().stream().map(HealthCondition::code).toList();
    }

    @Test
    void protectedWithinThresholdAndEveryRoleReachableIsOk() {
        ItemHealth h = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.of(Duration.ofSeconds(3)), List.of()), THRESHOLD);
        assertThat(h.health()).isEqualTo(Health.OK);
        assertThat(h.conditions()).isEmpty();
        assertThat(h.alerting()).isFalse();
    }

    @Test
    void rpoOverTheThresholdWarnsAndBeyondTwiceIsCriticalAndAlerts() {
        ItemHealth over = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.of(Duration.ofMinutes(16)), List.of()), THRESHOLD);
        assertThat(over.health()).isEqualTo(Health.WARNING);
        assertThat(codes(over)).containsExactly(ItemHealth.RPO_EXCEEDED);
        assertThat(over.conditions().getFirst().message()).contains("960.0s").contains("900.0s");
        assertThat(over.alerting()).isTrue();
        ItemHealth far = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.of(Duration.ofMinutes(31)), List.of()), THRESHOLD);
        assertThat(far.health()).isEqualTo(Health.CRITICAL);
        ItemHealth at = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.of(THRESHOLD), List.of()), THRESHOLD);
        assertThat(at.health()).isEqualTo(Health.OK);
    }

    @Test
    void initialSyncWarnsWithItsProgressAndDoesNotAlert() {
        ItemHealth h = ItemHealth.derive(pair(ReplicationState.INITIAL_SYNC, 0.425, Optional.empty(), List.of()), THRESHOLD);
        assertThat(h.health()).isEqualTo(Health.WARNING);
        assertThat(codes(h)).containsExactly(ItemHealth.INITIAL_SYNC);
        assertThat(h.conditions().getFirst().message()).contains("42.5%");
        assertThat(h.alerting()).isFalse();
    }

    @Test
    void catchingUpPausedErrorAndUnmeasuredRpo() {
        assertThat(codes(ItemHealth.derive(pair(ReplicationState.CATCHING_UP, 1, Optional.of(Duration.ZERO), List.of()), THRESHOLD)))
                .containsExactly(ItemHealth.CATCHING_UP);
        ItemHealth paused = ItemHealth.derive(pair(ReplicationState.PAUSED, 1, Optional.empty(), List.of()), THRESHOLD);
        assertThat(paused.health()).isEqualTo(Health.CRITICAL);
        assertThat(codes(paused)).containsExactly(ItemHealth.REPLICATION_PAUSED);
        ItemHealth error = ItemHealth.derive(pair(ReplicationState.ERROR, 1, Optional.empty(), List.of()), THRESHOLD);
        assertThat(codes(error)).containsExactly(ItemHealth.REPLICATION_ERROR);
        assertThat(error.alerting()).isTrue();
        ItemHealth unmeasured = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.empty(), List.of()), THRESHOLD);
        assertThat(unmeasured.health()).isEqualTo(Health.WARNING);
        assertThat(codes(unmeasured)).containsExactly(ItemHealth.RPO_UNMEASURED);
    }

    @Test
    void anUnreachableRoleIsCriticalAndAlertsEvenWithAGoodRpo() {
        ItemHealth h = ItemHealth.derive(pair(ReplicationState.PROTECTED, 1, Optional.of(Duration.ZERO), List.of("master target mt1")), THRESHOLD);
        assertThat(h.health()).isEqualTo(Health.CRITICAL);
        assertThat(codes(h)).containsExactly(ItemHealth.ROLE_UNREACHABLE);
        assertThat(h.conditions().getFirst().message()).startsWith("master target mt1 of pair web:forward is unreachable");
        assertThat(h.alerting()).isTrue();
        ItemHealth dp = ItemHealth.unreachable(PairId.parse("web:forward"), "connection refused", THRESHOLD);
        assertThat(dp.health()).isEqualTo(Health.CRITICAL);
        assertThat(dp.alerting()).isTrue();
    }
}
