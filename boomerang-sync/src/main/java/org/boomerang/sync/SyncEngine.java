package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
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
        return run(request, Optional.empty(), Optional.empty());
    }

    /**
     * Runs {@code request} with the given digesters for delta and verify (e.g. ones that digest next to
     * the disk, in the role that serves it); an empty side is digested in this process. The given
     * digesters stay the caller's (not closed here) and must describe the same disk size and block size.
     */
    public SyncReport run(SyncRequest request, Optional<BlockDigester> sourceDigests, Optional<BlockDigester> targetDigests)
            throws IOException {
        requireNonNull(request, "request is null");
        requireNonNull(sourceDigests, "sourceDigests is null");
        requireNonNull(targetDigests, "targetDigests is null");
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
        checkGeometry(sourceDigests, source);
        checkGeometry(targetDigests, target);
        SyncContext context = new SyncContext(source, target, options, pool, buffers, clock);
        return switch (request.mode()) {
            case FULL -> new FullSync(context).run();
            case DELTA -> {
                try (BlockDigester s = context.digester(source); BlockDigester t = context.digester(target)) {
                    yield new DeltaSync(context, sourceDigests.orElse(s), targetDigests.orElse(t)).run();
                }
            }
            case TRACKED -> new TrackedSync(context, request.changeMaps(), request.expectedGeneration()).run();
            case VERIFY -> {
                try (BlockDigester s = context.digester(source); BlockDigester t = context.digester(target)) {
                    yield new VerifySync(context, sourceDigests.orElse(s), targetDigests.orElse(t)).run();
                }
            }
        };
    }

    private void checkGeometry(Optional<BlockDigester> digests, SyncDisk disk) {
        if (digests.isEmpty()) {
            return;
        }
        BlockDigester d = digests.get();
        if (d.size() != disk.device().size() || d.blockSize() != options.blockSize()) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "the digests " + d.provenance() + " describe " + d.size()
                    + " bytes in " + d.blockSize() + "-byte blocks, but " + disk.name() + " has " + disk.device().size()
                    + " bytes and the sync uses " + options.blockSize() + "-byte blocks",
                    "name the digest server and disk that serve " + disk.name() + ", or drop the digest option");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
