package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact extent map against the obvious model (the source LSN of every byte), through random
 * overlapping writes and zeroings at many sizes, leaf splits and removals, and copies that share leaves.
 */
class ExtentMapTest {
    private static final int SPACE = 1 << 16;
    private static final long BASE = -2;

    @Test
    void randomOverlappingPiecesMatchTheModelAndCopiesStayFrozen() {
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            ExtentMap map = new ExtentMap();
            long[] model = new long[SPACE];
            Arrays.fill(model, BASE);
            List<ExtentMap> copies = new ArrayList<>();
            List<long[]> frozen = new ArrayList<>();
            for (int i = 1; i <= 6000; i++) {
                int length = random.nextInt(10) == 0 ? 1 + random.nextInt(SPACE / 4) : 1 + random.nextInt(64);
                int start = random.nextInt(SPACE - length + 1);
                long lsn = random.nextInt(8) == 0 ? ExtentMap.ZEROES : i;
                map.put(start, start + length, lsn);
                Arrays.fill(model, start, start + length, lsn);
                if (i % 1500 == 0) {
                    copies.add(map.copy());
                    frozen.add(model.clone());
                }
            }
            assertMatches(map, model, "seed " + seed);
            for (int c = 0; c < copies.size(); c++) {
                assertMatches(copies.get(c), frozen.get(c), "seed " + seed + " copy " + c);
            }
            // Retention folds the records up to an LSN into the base: their pieces read from the base.
            ExtentMap retained = map.copy();
            long through = 3000;
            retained.dropThrough(through);
            long[] folded = model.clone();
            for (int b = 0; b < SPACE; b++) {
                if (folded[b] != ExtentMap.ZEROES && folded[b] != BASE && folded[b] <= through) {
                    folded[b] = BASE;
                }
            }
            assertMatches(retained, folded, "seed " + seed + " after dropThrough");
            assertMatches(map, model, "seed " + seed + " (the original is untouched)");
        }
    }

    @Test
    void sequentialAppendsFillLeavesAndTrimsRemoveWholeLeaves() {
        ExtentMap map = new ExtentMap();
        for (int i = 0; i < 5000; i++) {
            map.put(i * 10L, i * 10L + 10, i + 1);
        }
        assertThat(map.pieceCount()).isEqualTo(5000);
        assertThat(map.heapBytes()).as("full leaves: about 24 bytes a piece").isLessThan(5000L * 24 * 11 / 10);
        map.put(15, 49_985, ExtentMap.ZEROES);
        assertThat(map.pieceCount()).isEqualTo(5);
        assertThat(map.parts(0, 50_000)).containsExactly(new ExtentMap.Part(0, 10, ExtentMap.Source.RECORD, 1),
                new ExtentMap.Part(10, 15, ExtentMap.Source.RECORD, 2),
                new ExtentMap.Part(15, 49_985, ExtentMap.Source.ZEROES, ExtentMap.ZEROES),
                new ExtentMap.Part(49_985, 49_990, ExtentMap.Source.RECORD, 4999),
                new ExtentMap.Part(49_990, 50_000, ExtentMap.Source.RECORD, 5000));
        assertThat(map.parts(60_000, 60_100)).containsExactly(new ExtentMap.Part(60_000, 60_100, ExtentMap.Source.BASE, 0));
    }

    private static void assertMatches(ExtentMap map, long[] model, String what) {
        long[] got = new long[SPACE];
        long pos = 0;
        for (ExtentMap.Part p : map.parts(0, SPACE)) {
            assertThat(p.start()).as(what).isEqualTo(pos);
            long v = switch (p.source()) {
                case BASE -> BASE;
                case ZEROES -> ExtentMap.ZEROES;
                case RECORD -> p.lsn();
            };
            Arrays.fill(got, (int) p.start(), (int) p.end(), v);
            pos = p.end();
        }
        assertThat(pos).as(what).isEqualTo(SPACE);
        assertThat(Arrays.mismatch(got, model)).as("first byte whose source differs (%s)", what).isEqualTo(-1);
        // Reads that start and end inside pieces agree too.
        for (int start = 0; start < SPACE; start += 997) {
            int end = Math.min(SPACE, start + 1531);
            long at = start;
            for (ExtentMap.Part p : map.parts(start, end)) {
                assertThat(p.start()).isEqualTo(at);
                at = p.end();
            }
            assertThat(at).isEqualTo(end);
        }
    }
}
