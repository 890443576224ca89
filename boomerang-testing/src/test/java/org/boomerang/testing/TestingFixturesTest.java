package org.boomerang.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestingFixturesTest {
    @TempDir
    Path dir;

    @Test
    void theClockMovesOnlyWhenAdvanced() {
        TestingClock clock = new TestingClock();
        assertThat(clock.now()).isEqualTo(TestingClock.DEFAULT_START);
        assertThat(clock.nanoTime()).isZero();
        clock.advance(Duration.ofMillis(1500));
        assertThat(clock.now()).isEqualTo(TestingClock.DEFAULT_START.plusMillis(1500));
        assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corruptionDamagesExactlyWhatItSays() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6});
        Corruption.flipByte(f, 1);
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2 ^ 0x5a, 3, 4, 5, 6);
        Corruption.zero(f, 2, 2);
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2 ^ 0x5a, 0, 0, 5, 6);
        Corruption.truncate(f, 3);
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2 ^ 0x5a, 0);
        assertThatThrownBy(() -> Corruption.flipByte(f, 3)).hasMessageContaining("outside");
    }

    @Test
    void everySplitReassemblesTheGoldenBytes() throws Exception {
        byte[] golden = GoldenBytes.hex("25 60 95 09  # magic\n00 01 # version\n ff");
        assertThat(golden).containsExactly(0x25, 0x60, 0x95, 0x09, 0x00, 0x01, 0xff);
        List<List<byte[]>> ways = GoldenBytes.splits(golden);
        assertThat(ways).hasSizeGreaterThan(golden.length);
        for (List<byte[]> way : ways) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] chunk : way) {
                joined.write(chunk);
            }
            assertThat(joined.toByteArray()).isEqualTo(golden);
        }
    }
}
