package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A light guest workload on one disk: a stream of writes of 4 KiB to 64 KiB at random 4 KiB-aligned
 * offsets in the second half of the disk (the first half holds the sample estate's filesystem, which
 * the workload never touches), through any {@link BlockDevice} — in the demo and the drill an
 * {@link NbdBlockDevice} on the machine's NBD export, so every write is a real guest write that the
 * agent captures.
 *
 * <p>Every 4 KiB sector written is recognisable: it starts with {@link #MAGIC}, the write's counter,
 * the sector's own offset and the workload's seed (big-endian longs), and the rest is pseudo-random
 * bytes drawn from those three, so {@link #content} rebuilds any write and a reader can tell which
 * write a sector came from.
 *
 * <p>{@link #pause()} is a barrier: it waits for the write in flight, flushes the device and returns
 * what was acknowledged so far; nothing more is written until {@link #resume()}. A write that fails
 * stops the workload; {@link Acknowledged#error()} says why. {@link #close()} stops it (and closes the
 * device when the workload opened it).
 *
 * <p>Thread-safety: the writes run on one platform thread of their own; every public method is safe
 * from any thread.
 */
public final class GuestWorkload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestWorkload.class);
    /** The first 8 bytes of every sector the workload writes. */
    public static final byte[] MAGIC = "BMRGWRK1".getBytes(StandardCharsets.US_ASCII);
    public static final int SECTOR = 4096;
    public static final int MIN_WRITE = SECTOR;
    public static final int MAX_WRITE = 64 << 10;
    private static final int HEADER = 32;

    /** How the workload writes: {@code writesPerSecond} (0: as fast as the device answers) and the seed of its choices and content. */
    public record Settings(double writesPerSecond, long seed) {
        public Settings {
            if (writesPerSecond < 0 || Double.isNaN(writesPerSecond)) {
                throw new IllegalArgumentException("writesPerSecond must be 0 (unpaced) or more, not " + writesPerSecond);
            }
        }
    }

    /** One acknowledged write: its number (from 1), where and how long. */
    public record Write(long counter, long offset, int length) {}

    /** What the device acknowledged: every write in order, their bytes, and the error that stopped the workload, if any. */
    public record Acknowledged(List<Write> writes, long bytes, boolean flushed, Optional<String> error) {
        public Acknowledged {
            writes = List.copyOf(writes);
        }

        public long count() {
            return writes.size();
        }
    }

    private final BlockDevice device;
    private final boolean ownsDevice;
    private final long size;
    private final Settings settings;
    private final String name;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Write> written = new ArrayList<>();
    private long bytes;
    private boolean pauseRequested;
    private boolean paused;
    private boolean flushed;
    private boolean stopped;
    private boolean running;
    private String error;

    private GuestWorkload(BlockDevice device, boolean ownsDevice, long size, Settings settings, String name) {
        this.device = requireNonNull(device, "device is null");
        this.ownsDevice = ownsDevice;
        this.settings = requireNonNull(settings, "settings is null");
        this.name = requireNonNull(name, "name is null");
        if (size < 2L * MAX_WRITE || size % SECTOR != 0 || size > device.size()) {
            throw new IllegalArgumentException("a workload needs a disk of whole 4 KiB sectors and at least " + 2 * MAX_WRITE
                    + " bytes, no larger than the device's " + device.size() + ", not " + size);
        }
        this.size = size;
        this.thread = Thread.ofPlatform().name("guest-workload-" + name).daemon().unstarted(this::run);
    }

    /** Starts a workload on the NBD export at {@code uri}, a disk of {@code diskSize} bytes; closing the workload closes the connection. */
    public static GuestWorkload start(NbdUri uri, long diskSize, Settings settings) throws IOException {
        NbdBlockDevice device = NbdBlockDevice.open(uri);
        try {
            return start(device, true, diskSize, settings, uri.exportName());
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Starts a workload on {@code device}, which the caller keeps and closes after the workload. */
    public static GuestWorkload start(BlockDevice device, long diskSize, Settings settings, String name) {
        return start(device, false, diskSize, settings, name);
    }

    private static GuestWorkload start(BlockDevice device, boolean owns, long diskSize, Settings settings, String name) {
        GuestWorkload w = new GuestWorkload(device, owns, diskSize, settings, name);
        w.running = true;
        w.thread.start();
        return w;
    }

    /** The first byte the workload may write: the second half of the disk. */
    public long regionStart() {
        return size / 2;
    }

    public long regionEnd() {
        return size;
    }

    /** What was acknowledged so far (the write in flight is not). */
    public Acknowledged acknowledged() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code writes} writes are acknowledged or the workload stopped (a failed
     * write, {@link #close()}), at most {@code timeoutMillis}; returns what was acknowledged then.
     */
    public Acknowledged awaitWrites(long writes, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (written.size() < writes && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The barrier: no new write starts, the one in flight finishes, the device is flushed; returns
     * what was acknowledged (and, when {@code flushed}, is durable on the device).
     */
    public Acknowledged pause() throws InterruptedException {
        lock.lock();
        try {
            pauseRequested = true;
            changed.signalAll();
            while (running && !paused) {
                changed.await();
            }
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** Lets writes go on after {@link #pause()}. */
    public void resume() {
        lock.lock();
        try {
            pauseRequested = false;
            paused = false;
            flushed = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True until the workload is closed or a write failed. */
    public boolean running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workload after the write in flight; {@link #acknowledged()} still answers afterwards. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsDevice) {
            device.close();
        }
    }

    /** The bytes of {@code write} of a workload with {@code seed}, as it wrote them. */
    public static ByteBuffer content(long seed, Write write) {
        ByteBuffer b = ByteBuffer.allocate(write.length());
        for (int s = 0; s < write.length(); s += SECTOR) {
            long sectorOffset = write.offset() + s;
            b.put(MAGIC).putLong(write.counter()).putLong(sectorOffset).putLong(seed);
            byte[] rest = new byte[SECTOR - HEADER];
            new SplittableRandom(seed ^ (sectorOffset * 0x9E3779B97F4A7C15L) ^ write.counter()).nextBytes(rest);
            b.put(rest);
        }
        return b.flip();
    }

    private Acknowledged snapshot() {
        return new Acknowledged(written, bytes, flushed, Optional.ofNullable(error));
    }

    private void run() {
        SplittableRandom random = new SplittableRandom(settings.seed());
        long sectors = (size - regionStart()) / SECTOR;
        long counter = 0;
        long interval = settings.writesPerSecond() == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / settings.writesPerSecond());
        long next = System.nanoTime();
        try {
            while (true) {
                if (!waitForTurn()) {
                    return;
                }
                int length = SECTOR * (1 + random.nextInt(MAX_WRITE / SECTOR));
                long offset = regionStart() + SECTOR * random.nextLong(sectors - length / SECTOR + 1);
                Write w = new Write(++counter, offset, length);
                device.write(offset, content(settings.seed(), w), false);
                lock.lock();
                try {
                    written.add(w);
                    bytes += length;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        sleep(wait);
                    } else {
                        next = System.nanoTime();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the guest workload on {} stopped: a write failed: {}", name, e.toString());
            lock.lock();
            try {
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            } finally {
                lock.unlock();
            }
        } finally {
            lock.lock();
            try {
                running = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Blocks while paused (flushing once on entering the pause); false when the workload is to stop. */
    private boolean waitForTurn() throws IOException {
        lock.lock();
        try {
            while (!stopped && pauseRequested) {
                if (!paused) {
                    lock.unlock();
                    try {
                        device.flush();
                    } finally {
                        lock.lock();
                    }
                    paused = true;
                    flushed = true;
                    changed.signalAll();
                    continue;
                }
                changed.awaitUninterruptibly();
            }
            paused = false;
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    private void sleep(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && !stopped && !pauseRequested) {
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
