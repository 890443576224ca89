package org.boomerang.nbd.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable direct buffers for request payloads and read data, so that no request allocates a large
 * buffer: sizes are rounded up to a power of two between {@link #MIN_SIZE} and the protocol's maximum
 * payload, and each size class keeps a bounded number of idle buffers (fewer for the large classes).
 * Direct buffers let {@code FileChannel} and {@code SocketChannel} move bytes without a copy into the heap.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: a buffer taken with {@link #take} belongs to the
 * caller until it is given back with {@link #give}; a buffer that is never given back is simply collected.
 */
final class DirectBufferPool {
    static final int MIN_SIZE = 4096;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_SIZE);
    private static final int LARGE_CLASS = 4 << 20;
    private static final int IDLE_SMALL = 64;
    private static final int IDLE_LARGE = 4;

    private final int maxSize;
    private final SizeClass[] classes;

    DirectBufferPool(int maxSize) {
        this.maxSize = Integer.highestOneBit(Math.max(maxSize, MIN_SIZE) - 1) << 1;
        int count = Integer.numberOfTrailingZeros(this.maxSize) - MIN_SHIFT + 1;
        classes = new SizeClass[count];
        for (int i = 0; i < count; i++) {
            int size = MIN_SIZE << i;
            classes[i] = new SizeClass(size, size >= LARGE_CLASS ? IDLE_LARGE : IDLE_SMALL);
        }
    }

    /** A cleared buffer whose limit is {@code size}; its capacity may be larger. */
    ByteBuffer take(int size) {
        if (size > maxSize) {
            throw new IllegalArgumentException("buffer of " + size + " bytes exceeds the pool's maximum of " + maxSize);
        }
        SizeClass c = classes[classIndex(size)];
        ByteBuffer buf = c.idle.poll();
        if (buf == null) {
            buf = ByteBuffer.allocateDirect(c.size);
        } else {
            c.idleCount.decrementAndGet();
        }
        return buf.clear().limit(size);
    }

    void give(ByteBuffer buf) {
        int index = classIndex(buf.capacity());
        SizeClass c = classes[index];
        if (c.size != buf.capacity()) {
            return; // not one of ours
        }
        if (c.idleCount.incrementAndGet() <= c.maxIdle) {
            c.idle.offer(buf);
        } else {
            c.idleCount.decrementAndGet();
        }
    }

    private static int classIndex(int size) {
        if (size <= MIN_SIZE) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(size - 1) - MIN_SHIFT;
    }

    private static final class SizeClass {
        final int size;
        final int maxIdle;
        final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger idleCount = new AtomicInteger();

        SizeClass(int size, int maxIdle) {
            this.size = size;
            this.maxIdle = maxIdle;
        }
    }
}
