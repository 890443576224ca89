package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * One export as the server serves it: a name, the device behind it now, the requests running on it, and the
 * connections using it. The device can be replaced ({@link #swap}) and the export retired ({@link #retire})
 * while clients are connected.
 *
 * <p><b>Ordering guarantee</b> (what a {@link BlockDevice} decorator, such as one that captures writes, may
 * rely on): on one export, across all its connections, two mutating calls ({@code write}, {@code trim},
 * {@code writeZeroes}) whose byte ranges overlap never run at the same time: the second starts only after the
 * first has returned. So the order in which a decorator sees overlapping mutations is the order in which they
 * reach the device it wraps, and its record of them replays to the device's content. Calls on disjoint ranges,
 * reads, allocation queries and flushes run concurrently with them. Overlapping requests of one connection
 * start in the order the connection received them (the range is taken by the connection's reader, before a
 * request is handed to a worker thread); of different connections, in the order they reach the export. A
 * waiting request holds nothing: the ranges form no cycle, so there is no deadlock, only waiting behind a
 * running call.
 *
 * <pre>
 *   ACTIVE ──swap: pause mutations, wait for running ones, flush, replace──▶ ACTIVE (another device)
 *     │
 *     └──retire──▶ RETIRED   (running requests finish; later ones are answered ESHUTDOWN; terminal)
 * </pre>
 *
 * <p>Thread-safety: safe. Mutations are admitted under this object's monitor; reads count themselves on the
 * device's {@link Generation} with one atomic increment and never wait. {@link #swap} and {@link #retire} are
 * serialised by the server.
 */
final class ServedExport {
    private final String name;
    private final String description;
    private final long size;
    private final boolean readOnly;
    /** The device served now and its running reads; null once retired. */
    private volatile Generation current;
    private final Set<SocketChannel> channels = ConcurrentHashMap.newKeySet();
    /** Mutations running now; a handful at most (connections × in-flight requests), so a list is enough. */
    private final List<Mutation> running = new ArrayList<>();
    private boolean paused;
    private boolean retired;
    private int waiting;

    ServedExport(NbdExport export) {
        requireNonNull(export, "export is null");
        this.name = export.name();
        this.description = export.description();
        this.size = export.size();
        this.readOnly = export.readOnly();
        this.current = new Generation(export.device());
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    long size() {
        return size;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** The flags of {@link NbdExport#transmissionFlags()}; they depend only on read-only, which a swap keeps. */
    int transmissionFlags() {
        return NbdExport.transmissionFlags(readOnly);
    }

    /** The device now, for hints only (prefetch, inMemory); null once retired. Never for I/O: see {@link #beginRead}. */
    BlockDevice peek() {
        Generation g = current;
        return g == null ? null : g.device;
    }

    boolean retired() {
        return current == null;
    }

    /** The device to read from, counted as in use until {@link #endRead}; null once the export is retired. */
    Generation beginRead() {
        while (true) {
            Generation g = current;
            if (g == null) {
                return null;
            }
            g.readers.incrementAndGet();
            // Checked again after counting: a swap or retire that replaced g has either seen the count (and waits
            // for it) or been seen here (and the read goes to the new device).
            if (g == current) {
                return g;
            }
            g.readers.decrementAndGet();
        }
    }

    void endRead(Generation g) {
        g.readers.decrementAndGet();
    }

    /**
     * Admits a mutation of {@code [offset, offset + length)} (length 0 for a flush: it overlaps nothing but
     * still waits out a swap) when it can run now; null when it must wait (call {@link #beginMutation}).
     */
    synchronized Mutation tryBeginMutation(long offset, long length) {
        if (retired) {
            return Mutation.GONE;
        }
        long end = offset + length;
        if (paused || overlapsRunning(offset, end)) {
            return null;
        }
        Mutation m = new Mutation(offset, end, current.device);
        running.add(m);
        return m;
    }

    /**
     * Admits a mutation, waiting while an overlapping one runs or a swap is under way; {@link Mutation#GONE}
     * when the export is retired meanwhile. The caller runs it against {@link Mutation#device()} and then calls
     * {@link #endMutation}, from any thread.
     */
    synchronized Mutation beginMutation(long offset, long length) {
        long end = offset + length;
        boolean interrupted = false;
        try {
            while (!retired && (paused || overlapsRunning(offset, end))) {
                interrupted |= await();
            }
            if (retired) {
                return Mutation.GONE;
            }
            Mutation m = new Mutation(offset, end, current.device);
            running.add(m);
            return m;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized void endMutation(Mutation m) {
        for (int i = running.size() - 1; i >= 0; i--) {
            if (running.get(i) == m) {
                running.remove(i);
                break;
            }
        }
        if (waiting > 0) {
            notifyAll();
        }
    }

    private boolean overlapsRunning(long offset, long end) {
        for (int i = 0, n = running.size(); i < n; i++) {
            Mutation m = running.get(i);
            if (offset < m.end && m.offset < end) {
                return true;
            }
        }
        return false;
    }

    /** Waits on the monitor; true when interrupted (the wait goes on, the caller restores the flag). */
    private boolean await() {
        waiting++;
        try {
            wait();
            return false;
        } catch (InterruptedException e) {
            return true;
        } finally {
            waiting--;
        }
    }

    /**
     * Replaces the device: pauses new mutations, waits for the running ones, flushes the old device (when
     * writable), asks {@code step} for the new device (it may copy the last changes from the old one: nothing
     * writes to it meanwhile), switches, resumes, and waits for reads still running on the old device. On
     * return nothing uses the old device any more; the caller owns it. When the flush or {@code step} fails, or
     * the new device does not fit, the export goes on with the old device and the error is thrown.
     */
    BlockDevice swap(NbdServer.ExportSwap step) throws IOException {
        Generation old;
        synchronized (this) {
            if (retired) {
                throw removed();
            }
            paused = true;
            boolean interrupted = false;
            while (!running.isEmpty()) {
                interrupted |= await();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            old = current;
        }
        Generation next;
        try {
            if (!readOnly) {
                old.device.flush();
            }
            BlockDevice device = requireNonNull(step.replace(old.device), "the swap step returned no device");
            checkFits(device);
            next = new Generation(device);
        } catch (IOException | RuntimeException e) {
            resume(old);
            throw e;
        }
        resume(next);
        awaitReads(old);
        return old.device;
    }

    private synchronized void resume(Generation generation) {
        current = generation;
        paused = false;
        notifyAll();
    }

    private void checkFits(BlockDevice device) {
        if (device.size() != size || device.isReadOnly() != readOnly) {
            throw new NbdProtocolException(NbdError.BAD_EXPORT_CONFIG, "export '" + name + "' cannot be swapped to " + device
                    + " of " + device.size() + " bytes" + (device.isReadOnly() ? ", read-only" : "") + ": its clients negotiated "
                    + size + " bytes" + (readOnly ? ", read-only" : ", writable"),
                    "swap in a device of the same size and mode, or remove the export and add a new one");
        }
    }

    /**
     * Retires the export: later requests are refused with ESHUTDOWN, waiters are woken to be refused too,
     * running mutations and reads finish, then the device is flushed (when writable). Returns the device,
     * which nothing uses any more; the caller owns it. Idempotent: null when already retired.
     */
    BlockDevice retire() throws IOException {
        Generation last;
        synchronized (this) {
            if (retired) {
                return null;
            }
            retired = true;
            last = current;
            current = null;
            notifyAll();
            boolean interrupted = false;
            while (!running.isEmpty()) {
                interrupted |= await();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        awaitReads(last);
        if (!readOnly) {
            last.device.flush();
        }
        return last.device;
    }

    private static void awaitReads(Generation g) {
        // Reads are short (a copy from the page cache, or one disk read) and a swap is rare: polling is enough.
        while (g.readers.get() != 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Registers a connection that negotiated this export; false (the caller drops it) when the export is retired. */
    boolean attach(SocketChannel channel) {
        channels.add(channel);
        if (retired()) {
            channels.remove(channel);
            return false;
        }
        return true;
    }

    void detach(SocketChannel channel) {
        channels.remove(channel);
    }

    /** The connections using the export now. */
    List<SocketChannel> channels() {
        return List.copyOf(channels);
    }

    NbdProtocolException removed() {
        return new NbdProtocolException(NbdError.EXPORT_REMOVED, "export '" + name + "' was removed from the server",
                "reconnect to an export the server still has (list them with 'nbdinfo --list')");
    }

    /** The reply errno for a request that came after the export was retired. */
    static int goneErrno() {
        return NbdProtocol.ESHUTDOWN;
    }

    @Override
    public String toString() {
        return "export '" + name + "'";
    }

    /** One device of the export and the reads running on it. */
    static final class Generation {
        private final BlockDevice device;
        private final AtomicInteger readers = new AtomicInteger();

        Generation(BlockDevice device) {
            this.device = requireNonNull(device, "device is null");
        }

        BlockDevice device() {
            return device;
        }
    }

    /** An admitted mutation: its range and the device to run it on. Identity matters, not value. */
    static final class Mutation {
        /** Returned instead of a mutation when the export was retired: the request is refused with ESHUTDOWN. */
        static final Mutation GONE = new Mutation(0, 0, null);

        private final long offset;
        private final long end;
        private final BlockDevice device;

        private Mutation(long offset, long end, BlockDevice device) {
            this.offset = offset;
            this.end = end;
            this.device = device;
        }

        BlockDevice device() {
            return device;
        }
    }
}
