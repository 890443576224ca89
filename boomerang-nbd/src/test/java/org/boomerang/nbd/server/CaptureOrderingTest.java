package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.JournalingBlockDevice;
import org.boomerang.journal.PointInTimeView;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.nbd.client.NbdClient;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ordering guarantee of {@link ServedExport} as a capturing decorator needs it: an export whose device
 * applies every change to an image file and then records it in a journal (a tee, as the agent's capture does),
 * hammered by several connections with overlapping writes, FUA writes, trims and zeroings, all pipelined. The
 * tee is not atomic (it even pauses between its two halves, to widen the window), so only the server's rule
 * that overlapping mutations never run at once makes the journal's replay equal the image byte for byte.
 */
class CaptureOrderingTest {
    private static final int SIZE = 4 << 20;
    /** The clients work inside this much of the disk, so their requests overlap often. */
    private static final int HOT = 256 << 10;
    private static final int SECTOR = 512;
    private static final int CONNECTIONS = 4;
    private static final int REQUESTS_PER_CONNECTION = 400;

    @TempDir
    Path dir;

    @Test
    void aJournalOfWhatTheExportAppliedReplaysToTheImage() throws Exception {
        try (RawFileBlockDevice image = RawFileBlockDevice.create(dir.resolve("d.img"), SIZE);
                SegmentedJournal journal = SegmentedJournal.create(dir.resolve("j"),
                        JournalIdentity.create(new DiskId("capture-order"), SIZE, SECTOR), JournalOptions.defaults());
                JournalingBlockDevice recorded = new JournalingBlockDevice(journal);
                Tee tee = new Tee(image, recorded);
                NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", tee).build().start()) {
            NbdUri uri = NbdUri.parse("nbd://127.0.0.1:" + server.port() + "/d");
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            // A thread per connection: the common pool may have a single thread on a small machine.
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(CONNECTIONS);
            for (int c = 0; c < CONNECTIONS; c++) {
                int seed = c;
                clients.add(CompletableFuture.runAsync(() -> hammer(uri, seed), threads));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            threads.shutdown();
            journal.sync();
            try (PointInTimeView replay = journal.openView(journal.durableLsn())) {
                for (long offset = 0; offset < SIZE; offset += HOT) {
                    ByteBuffer fromImage = ByteBuffer.allocate(HOT);
                    image.read(offset, fromImage);
                    ByteBuffer fromJournal = ByteBuffer.allocate(HOT);
                    replay.read(offset, fromJournal);
                    assertThat(Arrays.mismatch(fromJournal.array(), fromImage.array()))
                            .as("first byte where the journal's replay differs from the image, from offset %d (-1: none)", offset)
                            .isEqualTo(-1);
                }
            }
            assertThat(tee.overlapsSeen()).as("overlapping mutations never run at once").isZero();
            assertThat(tee.mutations()).isEqualTo((long) CONNECTIONS * REQUESTS_PER_CONNECTION);
        }
    }

    /** One connection's requests: random kinds at random sector-aligned ranges of the hot region, pipelined. */
    private static void hammer(NbdUri uri, int seed) {
        Random random = new Random(seed);
        try (NbdClient client = NbdClient.connect(uri)) {
            List<CompletableFuture<Void>> replies = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                int length = SECTOR * (1 + random.nextInt(64));
                long offset = (long) SECTOR * random.nextInt((HOT - length) / SECTOR + 1);
                replies.add(switch (random.nextInt(6)) {
                    case 0, 1 -> client.write(offset, pattern(seed, i, length), false);
                    case 2 -> client.write(offset, pattern(seed, i, length), true);
                    case 3 -> client.trim(offset, length);
                    case 4 -> client.writeZeroes(offset, length, true, false);
                    default -> client.writeZeroes(offset, length, false, true);
                });
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("connection " + seed + " failed", e);
        }
    }

    private static ByteBuffer pattern(int connection, int request, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        byte value = (byte) (1 + connection * 61 + request);
        for (int i = 0; i < length; i++) {
            b.put((byte) (value + i / SECTOR));
        }
        return b.flip();
    }

    /**
     * A decorator as a capture is one: each change goes to the image, then (after a short pause that makes
     * interleavings likely) to the journal. Counts overlapping calls that ran at once, which the server's
     * guarantee says never happens.
     */
    private static final class Tee implements BlockDevice {
        private final BlockDevice image;
        private final BlockDevice journal;
        private final List<long[]> running = new ArrayList<>();
        private long overlaps;
        private long mutations;

        Tee(BlockDevice image, BlockDevice journal) {
            this.image = image;
            this.journal = journal;
        }

        synchronized long overlapsSeen() {
            return overlaps;
        }

        synchronized long mutations() {
            return mutations;
        }

        private long[] enter(long offset, long length) {
            long[] range = {offset, offset + length};
            synchronized (this) {
                mutations++;
                for (long[] r : running) {
                    if (range[0] < r[1] && r[0] < range[1]) {
                        overlaps++;
                    }
                }
                running.add(range);
            }
            return range;
        }

        private synchronized void exit(long[] range) {
            running.remove(range);
        }

        private static void pause() {
            LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(200_000));
        }

        @Override
        public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
            long[] range = enter(offset, src.remaining());
            try {
                ByteBuffer copy = src.duplicate();
                image.write(offset, src, fua);
                pause();
                journal.write(offset, copy, fua);
            } finally {
                exit(range);
            }
        }

        @Override
        public void trim(long offset, long length) throws IOException {
            long[] range = enter(offset, length);
            try {
                image.trim(offset, length);
                pause();
                journal.trim(offset, length);
            } finally {
                exit(range);
            }
        }

        @Override
        public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
            long[] range = enter(offset, length);
            try {
                image.writeZeroes(offset, length, mayUnmap, fua);
                pause();
                journal.writeZeroes(offset, length, mayUnmap, fua);
            } finally {
                exit(range);
            }
        }

        @Override
        public void flush() throws IOException {
            image.flush();
            journal.flush();
        }

        @Override
        public long size() {
            return image.size();
        }

        @Override
        public int logicalBlockSize() {
            return image.logicalBlockSize();
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public void read(long offset, ByteBuffer dst) throws IOException {
            image.read(offset, dst);
        }

        @Override
        public List<Extent> allocation(long offset, long length) throws IOException {
            return image.allocation(offset, length);
        }

        @Override
        public boolean releasesSpaceOnTrim() {
            return image.releasesSpaceOnTrim();
        }

        @Override
        public void close() {
        }
    }
}
