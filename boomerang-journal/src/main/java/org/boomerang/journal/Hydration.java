package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;

/**
 * Writes a view (or a failed-over disk: view plus overlay) into a standalone sparse image, in the
 * background while the source stays in use (SPEC §2.3, commit). Only allocated, non-zero extents are
 * copied. For a {@link WritableView} the writes that arrive during the copy are tracked and copied again
 * in catch-up passes; the last pass runs with writes paused for that short moment, so the image equals
 * the disk when {@link #await()} returns.
 *
 * <p>Thread-safety: {@link #start} runs the copy on its own thread; {@link #copiedBytes()} may be read
 * from any thread.
 */
public final class Hydration {
    private static final int CHUNK = 1 << 20;
    private static final int MAX_CATCH_UP_PASSES = 8;

    private final BlockDevice source;
    private final Path target;
    private final AtomicLong copied = new AtomicLong();
    private CompletableFuture<Void> done;

    public Hydration(BlockDevice source, Path target) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
    }

    /** Copies in the calling thread and returns once the image is complete and fsynced. */
    public static long copy(BlockDevice source, Path target) throws IOException {
        Hydration h = new Hydration(source, target);
        h.run();
        return h.copiedBytes();
    }

    /** Starts the copy on a background thread. */
    public synchronized Hydration start() {
        if (done != null) {
            throw new IllegalStateException("hydration already started");
        }
        done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("hydration-" + target.getFileName()).daemon().start(() -> {
            try {
                run();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        requireNonNull(t, "thread");
        return this;
    }

    /** Waits for a started copy; rethrows its failure. */
    public void await() throws IOException, InterruptedException {
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Bytes written to the image so far. */
    public long copiedBytes() {
        return copied.get();
    }

    private void run() throws IOException {
        try (RawFileBlockDevice out = RawFileBlockDevice.create(target, source.size())) {
            if (source instanceof WritableView writable) {
                ChangeMap tracker = new ChangeMap(source.size(), WritableView.OVERLAY_BLOCK, java.util.UUID.randomUUID());
                writable.track(tracker);
                try {
                    copyExtents(out, 0, source.size());
                    ChangeMap pending = tracker;
                    for (int pass = 0; pass < MAX_CATCH_UP_PASSES && pending.markedCount() > 0; pass++) {
                        ChangeMap next = new ChangeMap(source.size(), WritableView.OVERLAY_BLOCK, java.util.UUID.randomUUID());
                        writable.track(next);
                        writable.untrack(pending);
                        ChangeMap copyNow = pending;
                        copyNow.forEachRunChecked((o, l) -> copyExtents(out, o, l));
                        pending = next;
                    }
                    ChangeMap last = pending;
                    writable.whileWritesPaused(() -> last.forEachRunChecked((o, l) -> copyExtents(out, o, l)));
                    writable.untrack(last);
                } finally {
                    writable.untrack(tracker);
                }
            } else {
                copyExtents(out, 0, source.size());
            }
            out.flush();
        }
    }

    private void copyExtents(RawFileBlockDevice out, long offset, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        for (Extent e : source.allocation(offset, length)) {
            if (e.zero()) {
                out.writeZeroes(e.offset(), e.length(), true, false);
                continue;
            }
            long pos = e.offset();
            while (pos < e.end()) {
                int n = (int) Math.min(CHUNK, e.end() - pos);
                buf.clear().limit(n);
                source.read(pos, buf);
                buf.flip();
                out.write(pos, buf, false);
                pos += n;
                copied.addAndGet(n);
            }
        }
    }
}
