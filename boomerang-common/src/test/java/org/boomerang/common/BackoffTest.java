package org.boomerang.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void waitsGrowExponentiallyUpToTheCapWithJitterInTheUpperHalf() {
        List<Duration> slept = new ArrayList<>();
        Backoff b = new Backoff(Duration.ofMillis(5), Duration.ofMillis(500), 20, slept::add, new SplittableRandom(7));
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(5));
        assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(10));
        assertThat(b.ceiling(7)).isEqualTo(Duration.ofMillis(320));
        assertThat(b.ceiling(8)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.ceiling(40)).isEqualTo(Duration.ofMillis(500));
        for (int attempt = 1; attempt < b.attempts(); attempt++) {
            assertThat(b.pause(attempt)).isTrue();
            Duration d = slept.getLast();
            assertThat(d).isBetween(b.ceiling(attempt).dividedBy(2), b.ceiling(attempt));
        }
        assertThat(slept).hasSize(19);
        assertThat(slept.stream().distinct().count()).as("jitter spreads the waits").isGreaterThan(10);
        assertThat(b.describe()).isEqualTo("20 attempts, waits from 5ms doubling up to 500ms");
    }

    @Test
    void anInterruptStopsTheRetriesAndKeepsTheFlag() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 3, d -> {
            throw new InterruptedException();
        }, new SplittableRandom(1));
        assertThat(b.pause(1)).isFalse();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofMillis(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(2), Duration.ofMillis(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
