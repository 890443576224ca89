package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.common.Clock;

/**
 * The resync engine as a library (SPEC §2.4): the {@code boomerang sync} command and reprotect call
 * {@link #run}. One engine owns a small pool of worker threads ({@link SyncOptions#threads()},
 * by default two per core so that reads overlap hashing and compression) and may run many syncs
 * one after another.
 *
 * <p>Thread-safety: {@link #run} may be called from several threads; they share the pool.
 * Ownership: the engine owns its pool; the disks in a request belong to the caller.
 */
public final class SyncEngine implements AutoCloseable {
    private final SyncOptions options;
    private final Clock clock;
    private final ExecutorService pool;
    private final ReadBuffers buffers;

    public SyncEngine(SyncOptions options, Clock clock) {
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.threads(),
                r -> Thread.ofPlatform().daemon().name("sync-worker-" + n.incrementAndGet()).unstarted(r));
        this.buffers = new ReadBuffers(options.chunkSize());
    }

    public SyncOptions options() {
        return options;
    }

    public SyncReport run(SyncRequest request) throws IOException {
        requireNonNull(request, "request is null");
        SyncDisk source = request.source();
        SyncDisk target = request.target();
        if (source.device().size() != target.device().size()) {
            throw new SyncException(SyncError.SYNC_SIZE_MISMATCH, "the source " + source.name() + " has "
                    + source.device().size() + " bytes but the target " + target.name() + " has " + target.device().size(),
                    "resize the target to " + source.device().size() + " bytes (truncate -s / qemu-img resize) and run again");
        }
        if (request.mode().writesTarget() && target.device().isReadOnly()) {
            throw new SyncException(SyncError.SYNC_TARGET_READ_ONLY, "the target " + target.name() + " is read-only",
                    "open or export the target writable, or use --mode verify to compare only");
        }
        SyncContext context = new SyncContext(source, target, options, pool, buffers, clock);
        return switch (request.mode()) {
            case FULL -> new FullSync(context).run();
            case DELTA -> {
                try (BlockDigester s = context.digester(source); BlockDigester t = context.digester(target)) {
                    yield new DeltaSync(context, s, t).run();
                }
            }
            case TRACKED -> new TrackedSync(context, request.changeMaps(), request.expectedGeneration()).run();
            case VERIFY -> {
                try (BlockDigester s = context.digester(source); BlockDigester t = context.digester(target)) {
                    yield new VerifySync(context, s, t).run();
                }
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
