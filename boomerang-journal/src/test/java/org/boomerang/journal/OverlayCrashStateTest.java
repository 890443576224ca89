package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.Lsn;
import org.boomerang.journal.crash.CrashLog;
import org.boomerang.journal.crash.RecordingFileSystem;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-state simulator ({@link CrashLog}, as in {@link CrashStateTest}) over the other files of the
 * data plane: a failed-over disk's overlay ({@code overlay.img} and its paged map {@code overlay.pages})
 * and change-map files. Each crash state keeps every synced write and a random subset of the unsynced
 * ones, in any order, torn at 512-byte sectors. The overlay must open in each state and every byte must
 * read as it was at the last acknowledged flush or as a later write left it (never older, never
 * invented); a change map must read as the last version acknowledged or a later one.
 *
 * <p>{@code -Djournal.crashsim.states=N} builds more states; {@code -Djournal.crashsim.seed=S} repeats a run.
 */
class OverlayCrashStateTest {
    /**
     * The disk is large enough that its map page spans several sectors (block 3968 is the first whose bit is
     * in the page's second sector), so a torn page write can mix old and new sectors; the workload writes
     * two hot regions, one in each sector's blocks, and the states record those regions only.
     */
    private static final long DISK = 16L << 20;
    private static final int REGION = 32 * 1024;
    private static final long[] REGIONS = {0, 3968L * WritableView.OVERLAY_BLOCK};
    /** The point the overlays sit on: after the journal's record of each region. */
    private static final Lsn AT = Lsn.of(REGIONS.length);
    private static final int DEFAULT_STATES = 600;

    @TempDir
    Path tmp;

    private final JournalOptions options = new JournalOptions(64 * 1024, 24,
            new TestingClock(Instant.parse("2026-01-01T00:00:00Z")));

    /** The disk after every write (index 0: the point's data), and the state index acknowledged at each log position. */
    private record Run(CrashLog log, List<byte[]> states, List<int[]> acks) {
        int ackedAt(int position) {
            int state = 0;
            for (int[] a : acks) {
                if (a[0] <= position) {
                    state = Math.max(state, a[1]);
                }
            }
            return state;
        }

        /** The last state whose write had started by {@code position}. */
        int reachedAt(int position, List<Integer> writeStarts) {
            int state = 0;
            for (int i = 0; i < writeStarts.size(); i++) {
                if (writeStarts.get(i) < position) {
                    state = i + 1;
                }
            }
            return state;
        }
    }

    @Test
    void everyOverlayCrashStateOpensAndEachSectorIsAnAcknowledgedOrLaterState() throws IOException {
        int total = Integer.getInteger("journal.crashsim.states", DEFAULT_STATES);
        long seed = Long.getLong("journal.crashsim.seed", System.nanoTime());
        Random random = new Random(seed);
        Path journalDir = tmp.resolve("j");
        byte[] point = JournalFixtures.payload(seed, 2 * REGION);
        try (SegmentedJournal j = SegmentedJournal.create(journalDir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512),
                options)) {
            for (int r = 0; r < REGIONS.length; r++) {
                j.appendWrite(REGIONS[r], ByteBuffer.wrap(point, r * REGION, REGION));
            }
            j.sync();
        }
        int workloads = Math.max(1, total / 300);
        // Crash states are materialised (16 MiB each) thousands of times: in memory when the machine has a tmpfs.
        Path shm = Path.of("/dev/shm");
        Path states = java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)
                ? java.nio.file.Files.createTempDirectory(shm, "overlay-crashsim-") : tmp.resolve("states");
        int built = 0;
        try (SegmentedJournal j = SegmentedJournal.open(journalDir, options)) {
          try {
            for (int w = 0; w < workloads; w++) {
                Path realOverlay = tmp.resolve("overlay-" + w);
                j.openWritable(AT, realOverlay).close();
                List<Integer> writeStarts = new ArrayList<>();
                Run run = overlayWorkload(j, realOverlay, point, random, writeStarts);
                int end = run.log().position();
                for (int s = 0; s < total / workloads; s++) {
                    int crashAt = s % 10 == 0 ? end : random.nextInt(end + 1);
                    long stateSeed = random.nextLong();
                    Path dir = states.resolve("state-" + w + "-" + s);
                    CrashLog.materialise(run.log().crashState(crashAt, new Random(stateSeed)), dir);
                    String what = "seed " + seed + " workload " + w + " crash at op " + crashAt + "/" + end
                            + " state seed " + stateSeed;
                    checkOverlay(j, dir, run, run.ackedAt(crashAt), run.reachedAt(crashAt, writeStarts), what);
                    JournalFixtures.deleteTree(dir);
                    built++;
                }
            }
          } finally {
            JournalFixtures.deleteTree(states);
          }
        }
        assertThat(built).isEqualTo(workloads * (total / workloads));
    }

    private Run overlayWorkload(SegmentedJournal j, Path realOverlay, byte[] point, Random random, List<Integer> writeStarts)
            throws IOException {
        CrashLog log = new CrashLog(realOverlay);
        Path overlay = new RecordingFileSystem(log).path(realOverlay);
        List<byte[]> states = new ArrayList<>();
        states.add(point.clone());
        List<int[]> acks = new ArrayList<>();
        WritableView disk = j.openWritable(AT, overlay);
        try {
            for (int op = 0; op < 60; op++) {
                int pick = random.nextInt(100);
                if (pick < 70) {
                    int length = 1 + random.nextInt(pick < 10 ? 12_000 : 3000);
                    int region = random.nextInt(REGIONS.length);
                    int within = random.nextInt(REGION - length);
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    boolean fua = pick < 15;
                    byte[] next = states.get(states.size() - 1).clone();
                    System.arraycopy(data, 0, next, region * REGION + within, length);
                    writeStarts.add(log.position());
                    states.add(next);
                    disk.write(REGIONS[region] + within, ByteBuffer.wrap(data), fua);
                    if (fua) {
                        acks.add(new int[] {log.position(), states.size() - 1});
                    }
                } else if (pick < 92) {
                    disk.flush();
                    acks.add(new int[] {log.position(), states.size() - 1});
                } else {
                    disk.close();
                    acks.add(new int[] {log.position(), states.size() - 1});
                    disk = j.openWritable(AT, overlay);
                }
            }
        } finally {
            disk.close();
        }
        acks.add(new int[] {log.position(), states.size() - 1});
        return new Run(log, states, acks);
    }

    private static void checkOverlay(SegmentedJournal j, Path dir, Run run, int acked, int reached, String what)
            throws IOException {
        try (WritableView disk = j.openWritable(AT, dir)) {
            byte[] got = new byte[2 * REGION];
            for (int r = 0; r < REGIONS.length; r++) {
                System.arraycopy(JournalFixtures.read(disk::read, REGIONS[r], REGION), 0, got, r * REGION, REGION);
            }
            // Unsynced writes land in any order, so a sector may mix writes: each byte is checked.
            for (int i = 0; i < got.length; i++) {
                boolean matches = false;
                for (int k = acked; k <= reached && !matches; k++) {
                    matches = got[i] == run.states().get(k)[i];
                }
                if (!matches) {
                    assertThat(matches).as("byte %d is as acknowledged (state %d) or as a later write left it (to state %d) (%s)",
                            i, acked, reached, what).isTrue();
                }
            }
            // Appending again works and survives a reopen.
            disk.write(0, ByteBuffer.wrap(new byte[] {7, 7, 7}), true);
        }
        try (WritableView disk = j.openWritable(AT, dir)) {
            assertThat(JournalFixtures.read(disk::read, 0, 3)).as(what).containsExactly(7, 7, 7);
        }
    }

    @Test
    void everyChangeMapCrashStateReadsAsTheAcknowledgedVersionOrALaterOne() throws IOException {
        int total = Integer.getInteger("journal.crashsim.states", DEFAULT_STATES);
        long seed = Long.getLong("journal.crashsim.seed", System.nanoTime());
        Random random = new Random(seed);
        Path real = tmp.resolve("maps");
        java.nio.file.Files.createDirectories(real);
        CrashLog log = new CrashLog(real);
        Path file = new RecordingFileSystem(log).path(real).resolve("changes.map");
        UUID generation = UUID.randomUUID();
        ChangeMap map = new ChangeMap(1L << 24, 4096, generation);
        List<long[]> versions = new ArrayList<>(); // [log position after the write, marked count]
        for (int v = 0; v < 25; v++) {
            for (int i = 0; i < 1 + random.nextInt(50); i++) {
                map.markBlock(random.nextInt((int) map.blockCount()));
            }
            map.writeTo(file);
            versions.add(new long[] {log.position(), map.markedCount()});
        }
        int end = log.position();
        for (int s = 0; s < total; s++) {
            int crashAt = s % 10 == 0 ? end : random.nextInt(end + 1);
            Map<String, byte[]> files = log.crashState(crashAt, new Random(random.nextLong()));
            long ackedCount = 0;
            for (long[] v : versions) {
                if (v[0] <= crashAt) {
                    ackedCount = v[1];
                }
            }
            String what = "seed " + seed + " crash at op " + crashAt + "/" + end;
            if (!files.containsKey("changes.map")) {
                assertThat(ackedCount).as("a map acknowledged is never lost (%s)", what).isZero();
                continue;
            }
            Path dir = tmp.resolve("map-state-" + s);
            CrashLog.materialise(files, dir);
            ChangeMap read = ChangeMap.readFrom(dir.resolve("changes.map"));
            assertThat(read.generation()).as(what).isEqualTo(generation);
            long count = read.markedCount();
            assertThat(versions.stream().anyMatch(v -> v[1] == count && v[1] >= 0))
                    .as("the map read (%d blocks) is a version that was written (%s)", count, what).isTrue();
            assertThat(count).as("the map read is the acknowledged version or a later one (%s)", what)
                    .isGreaterThanOrEqualTo(ackedCount);
            JournalFixtures.deleteTree(dir);
        }
    }
}
