package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.crash.CrashLog;
import org.boomerang.journal.crash.RecordingFileSystem;
import org.boomerang.journal.segment.SegmentFile;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-state simulator (in the manner of CrashMonkey and ALICE): a workload runs on a file system
 * that records every write, truncation, fsync, creation, rename and deletion of the journal's files
 * ({@link RecordingFileSystem}); then many crash states are built from that record ({@link CrashLog}:
 * every synced write kept, a random subset of the unsynced ones in any order, torn at 512-byte sectors,
 * names as a prefix after the last directory fsync). The journal must open each state, hold every
 * acknowledged LSN, and show at each point it lists, and at its last LSN, exactly the disk the writes
 * made at that LSN. A second workload rolls a segment every few records and syncs rarely, and crashes
 * mostly inside a roll (after the spare became the next segment and before the group commit that sealed
 * the old one): the states where unsealed segments, an unsynced new name and a headerless segment lie
 * behind the watermark.
 *
 * <p>{@code -Djournal.crashsim.states=N} builds more states ({@code scripts/journal-crashsim.sh});
 * {@code -Djournal.crashsim.seed=S} repeats a run.
 */
class CrashStateTest {
    private static final int DISK = 16 * 1024;
    private static final int DEFAULT_STATES = 1000;

    @TempDir
    Path tmp;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final JournalOptions options = new JournalOptions(64 * 1024, 24, clock);

    /** What the workload did: the disk at every LSN, and the LSN acknowledged at each log position. */
    private record Run(CrashLog log, List<byte[]> states, List<long[]> acks) {
        long ackedAt(int position) {
            long lsn = 0;
            for (long[] a : acks) {
                if (a[0] <= position) {
                    lsn = Math.max(lsn, a[1]);
                }
            }
            return lsn;
        }
    }

    /** How a workload writes: its length, the largest write, and how often it syncs (percent of ops). */
    private record Shape(int ops, int maxWrite, int syncPercent, boolean crashInRolls) {
        static final Shape MIXED = new Shape(160, 2500, 22, false);
        static final Shape ROLLING = new Shape(240, 9000, 4, true);
    }

    @Test
    void everyCrashStateOpensWithEveryAcknowledgedLsnAndOnlyPrefixStates() throws IOException {
        simulate(Shape.MIXED);
    }

    @Test
    void everyCrashStateInsideASegmentRollOpensWithEveryAcknowledgedLsn() throws IOException {
        simulate(Shape.ROLLING);
    }

    private void simulate(Shape shape) throws IOException {
        int total = Integer.getInteger("journal.crashsim.states", DEFAULT_STATES);
        long seed = Long.getLong("journal.crashsim.seed", System.nanoTime());
        Random random = new Random(seed);
        int workloads = Math.max(1, total / 500);
        int built;
        long started = System.nanoTime();
        // Crash states are opened (and fsynced) thousands of times: in memory when the machine has a tmpfs.
        Path shm = Path.of("/dev/shm");
        Path states = java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)
                ? java.nio.file.Files.createTempDirectory(shm, "crashsim-") : tmp.resolve("states");
        try {
            built = run(total, workloads, random, seed, states, shape);
            System.out.printf("crash simulator (%s): %d states in %.1f s (seed %d)%n", shape, built,
                    (System.nanoTime() - started) / 1e9, seed);
        } finally {
            JournalFixtures.deleteTree(states);
        }
        assertThat(built).isEqualTo(workloads * (total / workloads));
    }

    private int run(int total, int workloads, Random random, long seed, Path states, Shape shape) throws IOException {
        int built = 0;
        for (int w = 0; w < workloads; w++) {
            Run run = workload(tmp.resolve("w" + w), random, shape);
            int end = run.log().position();
            List<Integer> inRolls = run.log().positionsInRolls(SegmentFile.SPARE_NAME);
            if (shape.crashInRolls()) {
                assertThat(inRolls).as("the workload rolls through spares (seed %d)", seed).hasSizeGreaterThan(20);
            }
            for (int s = 0; s < total / workloads; s++) {
                int crashAt = s % 10 == 0 ? end
                        : shape.crashInRolls() && s % 10 < 8 ? inRolls.get(random.nextInt(inRolls.size()))
                        : random.nextInt(end + 1);
                long stateSeed = random.nextLong();
                Map<String, byte[]> files = run.log().crashState(crashAt, new Random(stateSeed));
                Path dir = states.resolve("state-" + w + "-" + s);
                CrashLog.materialise(files, dir);
                check(run, crashAt, dir, "seed " + seed + " workload " + w + " crash at op " + crashAt + "/" + end
                        + " state seed " + stateSeed, s % 10 == 0);
                JournalFixtures.deleteTree(dir);
                built++;
            }
        }
        return built;
    }

    private void check(Run run, int crashAt, Path dir, String what, boolean appendAfter) throws IOException {
        long acked = run.ackedAt(crashAt);
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            long last = j.lastLsn().value();
            assertThat(last).as("acknowledged LSN kept (%s)", what).isGreaterThanOrEqualTo(acked);
            assertThat(last).as("no LSN invented (%s)", what).isLessThan(run.states().size());
            assertThat(j.verify()).as(what).isEqualTo(last - j.baseLsn().value());
            assertView(j, Lsn.of(last), run, what);
            for (RecoveryPoint p : j.points()) {
                assertView(j, p.lsn(), run, what);
            }
            if (appendAfter) {
                // The recovered journal takes appends again, and reopens with them.
                Lsn next = j.appendWrite(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
                j.awaitDurable(next);
                j.close();
                try (SegmentedJournal again = SegmentedJournal.open(dir, options)) {
                    assertThat(again.lastLsn()).as(what).isEqualTo(next);
                }
            }
        }
    }

    private static void assertView(Journal j, Lsn at, Run run, String what) throws IOException {
        try (PointInTimeView v = j.openView(at)) {
            byte[] got = JournalFixtures.read(v::read, 0, DISK);
            assertThat(Arrays.equals(got, run.states().get((int) at.value())))
                    .as("the view at %s is the disk the writes made at that LSN (%s)", at, what).isTrue();
        }
    }

    /** Creates a journal, then appends, syncs, rolls and reopens it on the recording file system. */
    private Run workload(Path realDir, Random random, Shape shape) throws IOException {
        SegmentedJournal.create(realDir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512), options).close();
        CrashLog log = new CrashLog(realDir);
        Path dir = new RecordingFileSystem(log).path(realDir);
        List<byte[]> states = new ArrayList<>();
        states.add(new byte[DISK]);
        List<long[]> acks = new ArrayList<>();
        SegmentedJournal j = SegmentedJournal.open(dir, options);
        boolean windowOpen = false;
        try {
            for (int op = 0; op < shape.ops(); op++) {
                byte[] next = states.get(states.size() - 1).clone();
                int pick = random.nextInt(100);
                if (pick >= 97 - shape.syncPercent() && pick < 97) {
                    Lsn durable = j.sync();
                    acks.add(new long[] {log.position(), durable.value()});
                    continue;
                }
                if (pick < 55) {
                    int length = 1 + random.nextInt(pick < 5 ? 9000 : shape.maxWrite());
                    int offset = random.nextInt(DISK - length);
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    System.arraycopy(data, 0, next, offset, length);
                    j.appendWrite(offset, ByteBuffer.wrap(data));
                } else if (pick < 62) {
                    int length = 1 + random.nextInt(4096);
                    int offset = random.nextInt(DISK - length);
                    Arrays.fill(next, offset, offset + length, (byte) 0);
                    if (pick < 58) {
                        j.appendTrim(offset, length);
                    } else {
                        j.appendZero(offset, length);
                    }
                } else if (pick < 72) {
                    j.appendMarker(MarkerKind.CRASH, "", "op" + op);
                } else if (pick < 75 && !shape.crashInRolls()) {
                    if (windowOpen) {
                        j.appendWindowClose();
                    } else {
                        j.appendWindowOpen("catch-up " + op);
                    }
                    windowOpen = !windowOpen;
                } else if (pick < 97) {
                    int length = 1 + random.nextInt(shape.maxWrite());
                    int offset = random.nextInt(DISK - length);
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    System.arraycopy(data, 0, next, offset, length);
                    j.appendWrite(offset, ByteBuffer.wrap(data));
                } else {
                    j.close();
                    acks.add(new long[] {log.position(), j.lastLsn().value()});
                    j = SegmentedJournal.open(dir, options);
                    continue;
                }
                states.add(next);
                clock.advance(java.time.Duration.ofSeconds(1));
                if (shape.crashInRolls()) {
                    j.awaitRollReady(); // roll through a spare, as at a disk's pace, not by creating in place
                }
            }
        } finally {
            j.close();
        }
        acks.add(new long[] {log.position(), states.size() - 1L});
        return new Run(log, states, acks);
    }

    @Test
    void aFailedFsyncIsFinalAndNothingAfterItIsAcknowledged() throws IOException {
        Path realDir = tmp.resolve("fsync");
        SegmentedJournal.create(realDir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512), options).close();
        CrashLog log = new CrashLog(realDir);
        Path dir = new RecordingFileSystem(log).path(realDir);
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            j.appendWrite(0, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)));
            Lsn durable = j.sync();
            Lsn pending = j.appendWrite(4096, ByteBuffer.wrap(JournalFixtures.payload(2, 4096)));
            log.failForces(name -> name.endsWith(".seg"), 1);
            assertThatThrownBy(() -> j.awaitDurable(pending)).isInstanceOfSatisfying(JournalException.class, e -> {
                assertThat(e.code()).isEqualTo(JournalError.FSYNC_FAILED);
                assertThat(e.getMessage()).contains("injected fsync failure");
            });
            // The next fsync would succeed (the kernel dropped the dirty pages): it must never be tried.
            assertThatThrownBy(() -> j.awaitDurable(pending))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.FSYNC_FAILED));
            assertThatThrownBy(j::sync)
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.FSYNC_FAILED));
            assertThatThrownBy(() -> j.appendWrite(0, ByteBuffer.wrap(new byte[] {1})))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.FSYNC_FAILED));
            assertThatThrownBy(() -> j.appendAt(Lsn.of(pending.value() + 1), new JournalRecordSpec.WindowClose()))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(JournalError.FSYNC_FAILED));
            assertThat(j.durableLsn()).isEqualTo(durable);
            assertThat(j.resolve(PointName.parse("latest"))).isEqualTo(durable);
            j.awaitDurable(durable); // what was durable before stays acknowledged
        } catch (JournalException closing) {
            assertThat(closing.code()).isEqualTo(JournalError.FSYNC_FAILED); // close cannot sync either
        }
        try (SegmentedJournal j = SegmentedJournal.open(realDir, options)) {
            assertThat(j.lastLsn().value()).isBetween(1L, 2L);
        }
    }

    @Test
    void aFailedOverlayFlushPoisonsTheFailedOverDisk() throws IOException {
        Path realDir = tmp.resolve("overlay-fsync");
        Path realOverlay = tmp.resolve("overlay");
        try (SegmentedJournal j = SegmentedJournal.create(realDir, JournalIdentity.create(JournalFixtures.DISK, DISK, 512), options)) {
            j.appendWrite(0, ByteBuffer.wrap(JournalFixtures.payload(1, 4096)));
            j.sync();
            j.openWritable(Lsn.of(1), realOverlay).close();
        }
        CrashLog log = new CrashLog(tmp);
        RecordingFileSystem fs = new RecordingFileSystem(log);
        try (SegmentedJournal j = SegmentedJournal.open(fs.path(realDir), options);
                WritableView disk = j.openWritable(Lsn.of(1), fs.path(realOverlay))) {
            disk.write(0, ByteBuffer.wrap(JournalFixtures.payload(2, 4096)), false);
            disk.flush();
            disk.write(8192, ByteBuffer.wrap(JournalFixtures.payload(3, 4096)), false);
            log.failForces(name -> name.endsWith("overlay.img"), 1);
            assertThatThrownBy(disk::flush).isInstanceOfSatisfying(org.boomerang.blockdev.BlockDeviceException.class, e -> {
                assertThat(e.code()).isEqualTo(org.boomerang.blockdev.BlockDeviceError.IO_FAILED);
                assertThat(e.getMessage()).contains("injected fsync failure");
            });
            // The fsync would succeed now; the view must not try it, nor take more writes.
            assertThatThrownBy(disk::flush).isInstanceOf(org.boomerang.blockdev.BlockDeviceException.class);
            assertThatThrownBy(() -> disk.write(12288, ByteBuffer.wrap(new byte[512]), true))
                    .isInstanceOf(org.boomerang.blockdev.BlockDeviceException.class);
            assertThatThrownBy(() -> disk.writeZeroes(0, 512, false, false))
                    .isInstanceOf(org.boomerang.blockdev.BlockDeviceException.class);
        } catch (org.boomerang.blockdev.BlockDeviceException closing) {
            assertThat(closing.code()).isEqualTo(org.boomerang.blockdev.BlockDeviceError.IO_FAILED); // close flushes too
        }
        // Reopened, the overlay is as of its last successful flush: the block of the failed flush is not marked.
        try (SegmentedJournal j = SegmentedJournal.open(realDir, options);
                WritableView disk = j.openWritable(Lsn.of(1), realOverlay)) {
            assertThat(disk.writtenBlocks().isMarked(0)).isTrue();
            assertThat(disk.writtenBlocks().isMarked(2)).isFalse();
            assertThat(JournalFixtures.read(disk::read, 0, 4096)).isEqualTo(JournalFixtures.payload(2, 4096));
        }
    }
}
