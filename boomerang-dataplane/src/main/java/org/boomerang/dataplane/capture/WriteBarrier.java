package org.boomerang.dataplane.capture;

/**
 * A held write barrier on one disk ({@link InlineCapture#pause}): while it is intact, no guest write
 * reaches the disk. Closing it releases the writes that wait.
 */
public interface WriteBarrier extends AutoCloseable {
    /**
     * True while the barrier still holds every write back; false once a write waited longer than the
     * capture's {@code maxGuestBlock} and broke through, or after {@link #close()}.
     */
    boolean intact();

    @Override
    void close();
}
