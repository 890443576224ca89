package org.boomerang.blockdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeMapTest {
    @TempDir
    Path dir;

    @Test
    void marksRunsAndClipsTheLastBlock() {
        ChangeMap map = new ChangeMap(10 * 4096 + 100, 4096, UUID.randomUUID());
        map.mark(4095, 2);          // blocks 0 and 1
        map.mark(10 * 4096, 100);   // the short last block
        List<long[]> runs = new ArrayList<>();
        map.forEachRun((o, l) -> runs.add(new long[] {o, l}));
        assertThat(runs).containsExactly(new long[] {0, 8192}, new long[] {40960, 100});
        assertThat(map.markedCount()).isEqualTo(3);
        assertThat(map.markedBytes()).isEqualTo(8292);
    }

    @Test
    void roundTripsThroughAFile() throws Exception {
        UUID gen = UUID.randomUUID();
        ChangeMap map = new ChangeMap(1L << 30, 65536, gen);
        map.mark(123456789, 70000);
        Path f = dir.resolve("m.cmap");
        map.writeTo(f);
        ChangeMap back = ChangeMap.readFrom(f);
        assertThat(back.generation()).isEqualTo(gen);
        assertThat(back.markedCount()).isEqualTo(map.markedCount());
        assertThat(back.isMarked(123456789 / 65536)).isTrue();
    }

    @Test
    void refusesADamagedFile() throws Exception {
        ChangeMap map = new ChangeMap(1 << 20, 4096, UUID.randomUUID());
        map.mark(0, 1);
        Path f = dir.resolve("m.cmap");
        map.writeTo(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[50] ^= 1;
        Files.write(f, bytes);
        assertThatThrownBy(() -> ChangeMap.readFrom(f))
                .isInstanceOfSatisfying(BlockDeviceException.class,
                        e -> assertThat(e.code()).isEqualTo(BlockDeviceError.CHANGE_MAP_DAMAGED));
    }
}
