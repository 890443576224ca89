package org.boomerang.dataplane.roles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;

/**
 * Write load through an NBD export, one write at a time, that records every write it issues and which
 * were acknowledged, and judges a replica against them.
 *
 * <p>Write {@code #i} covers whole 4 KiB blocks of a region at the disk's start; each block it writes
 * starts with {@code i} and the block's offset, the rest is drawn from a seed of both, so any block of a
 * replica names the write it came from and shows whether it is whole; one operation in ten zeroes or
 * trims its blocks instead (NBD_CMD_WRITE_ZEROES, NBD_CMD_TRIM: both read as zeroes after). A write that fails (the agent was
 * killed) is sent again, the same bytes at the same place, once the export is back, until acknowledged:
 * so the writes form one sequence, and a replica that is consistent holds exactly the writes
 * {@code #0..#k} of it for some {@code k} (a <em>prefix state</em>).
 *
 * <p>Thread-safety: one writer thread; the counters and {@link #check} may be used from any thread.
 */
final class WriteLoad implements AutoCloseable {
    static final int BLOCK = 4096;

    /** What an operation does to its blocks. */
    enum Kind { WRITE, ZERO, TRIM }

    /** One operation: its number, offset, length and kind (a zeroing or a trim leaves its blocks reading zero). */
    record Write(int index, long offset, int length, Kind kind) {
        Write(int index, long offset, int length) {
            this(index, offset, length, Kind.WRITE);
        }

        boolean data() {
            return kind == Kind.WRITE;
        }
    }

    private final Supplier<String> uri;
    private final long regionBytes;
    private final int maxBlocks;
    private final Random random;
    private final long pauseNanos;
    private final List<Write> issued = new ArrayList<>();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private final Thread thread;

    /**
     * @param uri the export's URI, asked again on each reconnect
     * @param regionBytes the bytes at the disk's start the writes fall in (a multiple of 4 KiB)
     * @param maxBlocks the most 4 KiB blocks of one write
     * @param pauseMicros a pause after each acknowledged write (0: none), to bound the load
     */
    WriteLoad(Supplier<String> uri, long regionBytes, int maxBlocks, long seed, long pauseMicros) {
        this.uri = uri;
        this.regionBytes = regionBytes;
        this.maxBlocks = maxBlocks;
        this.random = new Random(seed);
        this.pauseNanos = pauseMicros * 1000;
        this.thread = Thread.ofPlatform().name("write-load").daemon().unstarted(this::run);
    }

    WriteLoad start() {
        thread.start();
        return this;
    }

    /** How many writes were acknowledged so far: writes {@code #0 .. #acknowledged()-1}. */
    int acknowledged() {
        return acknowledged.get();
    }

    /** Writes sent again after a failure. */
    int retries() {
        return retries.get();
    }

    /** A snapshot of every write issued so far (the last may not be acknowledged yet). */
    List<Write> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    /** Stops after the write in progress is acknowledged; returns how many were. */
    int stop() throws InterruptedException {
        stopping = true;
        thread.join(120_000);
        if (thread.isAlive()) {
            throw new AssertionError("the write load did not stop: its last write was never acknowledged");
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the write load failed", t);
        }
        return acknowledged.get();
    }

    private void run() {
        NbdBlockDevice dev = null;
        try {
            for (int i = 0; !stopping; i++) {
                int blocks = 1 + random.nextInt(maxBlocks);
                long offset = (long) random.nextInt((int) (regionBytes / BLOCK) - blocks + 1) * BLOCK;
                int dice = random.nextInt(20);
                Write w = new Write(i, offset, blocks * BLOCK, dice == 0 ? Kind.ZERO : dice == 1 ? Kind.TRIM : Kind.WRITE);
                synchronized (issued) {
                    issued.add(w);
                }
                ByteBuffer data = data(w);
                long giveUp = System.nanoTime() + 120_000_000_000L;
                while (true) {
                    try {
                        if (dev == null) {
                            dev = NbdBlockDevice.open(NbdUri.parse(uri.get()));
                        }
                        switch (w.kind()) {
                            case WRITE -> dev.write(offset, data.duplicate(), false);
                            case ZERO -> dev.writeZeroes(offset, w.length(), false, false);
                            case TRIM -> dev.trim(offset, w.length());
                        }
                        break;
                    } catch (IOException | RuntimeException e) {
                        if (dev != null) {
                            try {
                                dev.close();
                            } catch (IOException | RuntimeException ignored) {
                                // the connection is gone already
                            }
                            dev = null;
                        }
                        if (System.nanoTime() > giveUp) {
                            throw new IOException("write #" + i + " was not acknowledged within 120 s", e);
                        }
                        retries.incrementAndGet();
                        Thread.sleep(20);
                    }
                }
                acknowledged.incrementAndGet();
                if (pauseNanos > 0) {
                    Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            if (dev != null) {
                try {
                    dev.close();
                } catch (IOException ignored) {
                    // closing at the end
                }
            }
        }
    }

    static ByteBuffer data(Write w) {
        ByteBuffer b = ByteBuffer.allocate(w.length());
        for (int off = 0; w.data() && off < w.length(); off += BLOCK) {
            fill(b, off, w.index(), w.offset() + off);
        }
        return b;
    }

    private static void fill(ByteBuffer b, int at, int index, long blockOffset) {
        b.putLong(at, index + 1L).putLong(at + 8, blockOffset);
        SplittableRandom r = new SplittableRandom(index * 0x9E3779B97F4A7C15L ^ blockOffset);
        for (int p = 16; p < BLOCK; p += 8) {
            b.putLong(at + p, r.nextLong());
        }
    }

    /**
     * The region as the writes {@code #0..#k} leave it (all writes when {@code k} is the last one).
     */
    static byte[] expected(List<Write> writes, int k, long regionBytes) {
        ByteBuffer b = ByteBuffer.allocate((int) regionBytes);
        for (Write w : writes) {
            if (w.index() > k) {
                break;
            }
            for (int off = 0; off < w.length(); off += BLOCK) {
                if (w.data()) {
                    fill(b, (int) (w.offset() + off), w.index(), w.offset() + off);
                } else {
                    b.put((int) (w.offset() + off), new byte[BLOCK]);
                }
            }
        }
        return b.array();
    }

    /**
     * Judges a replica's region: returns the largest {@code k} such that it holds exactly the operations
     * {@code #0..#k} of {@code writes} ({@code -1}: none), throws {@link AssertionError} naming the first
     * block that shows it is not a prefix state (a torn block, bytes no write made, a write missing under
     * a later one). The newest write whose data shows fixes {@code k} up to the zeroings and trims after it.
     */
    static int check(byte[] region, List<Write> writes) {
        int blocks = region.length / BLOCK;
        int[] holder = new int[blocks];
        ByteBuffer r = ByteBuffer.wrap(region);
        ByteBuffer one = ByteBuffer.allocate(BLOCK);
        int k = -1;
        for (int blk = 0; blk < blocks; blk++) {
            int at = blk * BLOCK;
            long tag = r.getLong(at);
            if (tag == 0 && allZero(region, at)) {
                holder[blk] = -1;
                continue;
            }
            long index = tag - 1;
            if (index < 0 || index >= writes.size() || !writes.get((int) index).data() || r.getLong(at + 8) != (long) at) {
                throw new AssertionError("block at offset " + at + " holds bytes no write made (tag " + tag + ")");
            }
            fill(one.clear(), 0, (int) index, at);
            if (!r.slice(at, BLOCK).equals(one.rewind().limit(BLOCK))) {
                throw new AssertionError("block at offset " + at + " holds a torn copy of write #" + index);
            }
            holder[blk] = (int) index;
            k = Math.max(k, (int) index);
        }
        int[] want = new int[blocks];
        java.util.Arrays.fill(want, -1);
        int j = -1;
        for (Write w : writes) {
            if (w.index() > k) {
                break;
            }
            apply(want, w);
            j = w.index();
        }
        int mismatch = firstMismatch(holder, want);
        int best = mismatch < 0 ? j : Integer.MIN_VALUE;
        int[] first = {mismatch, want.length == 0 || mismatch < 0 ? 0 : want[mismatch]};
        // the zeroings and trims right after write #k leave no data behind: the state may include some of them
        for (int i = j + 1; i < writes.size() && !writes.get(i).data(); i++) {
            apply(want, writes.get(i));
            if (firstMismatch(holder, want) < 0) {
                best = i;
            }
        }
        if (best == Integer.MIN_VALUE) {
            int blk = first[0];
            throw new AssertionError("not a prefix state: the replica holds write #" + k + " but block at offset "
                    + ((long) blk * BLOCK) + " holds " + (holder[blk] < 0 ? "no data" : "write #" + holder[blk])
                    + " where operations #0..#" + k + " leave " + (first[1] < 0 ? "no data" : "write #" + first[1]));
        }
        return best;
    }

    private static void apply(int[] want, Write w) {
        for (long off = w.offset(); off < w.offset() + w.length(); off += BLOCK) {
            want[(int) (off / BLOCK)] = w.data() ? w.index() : -1;
        }
    }

    private static int firstMismatch(int[] holder, int[] want) {
        for (int blk = 0; blk < holder.length; blk++) {
            if (holder[blk] != want[blk]) {
                return blk;
            }
        }
        return -1;
    }

    private static boolean allZero(byte[] b, int at) {
        for (int i = at; i < at + BLOCK; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(5000);
    }
}
