package org.boomerang.sync;

import java.nio.ByteBuffer;

/**
 * One direct buffer of the chunk size per worker thread, reused for every chunk that thread reads,
 * so a sync allocates {@code threads × chunkSize} of I/O memory and no more. Thread-safe.
 */
public final class ReadBuffers {
    private final ThreadLocal<ByteBuffer> buffers;

    public ReadBuffers(int chunkSize) {
        this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(chunkSize));
    }

    /** This thread's buffer, cleared. */
    public ByteBuffer get() {
        return buffers.get().clear();
    }
}
