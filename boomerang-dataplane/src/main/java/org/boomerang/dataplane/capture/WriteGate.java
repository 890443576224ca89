package org.boomerang.dataplane.capture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.common.DiskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door every guest write of one disk passes through, which a {@link WriteBarrier} can close for a
 * short while: once the writes in flight have drained, no write reaches the disk until the barrier is
 * released, so a marker taken meanwhile sits between the same writes on every member of a group.
 *
 * <p>The guest is never held longer than {@code maxGuestBlock}: a write that waited that long breaks the
 * barrier (it opens for everyone) and goes on; the barrier then reports {@link WriteBarrier#intact()}
 * false and the cut that used it must be given up.
 *
 * <p>Thread-safety: safe for concurrent use; one barrier at a time.
 */
final class WriteGate {
    private static final Logger LOG = LoggerFactory.getLogger(WriteGate.class);

    private final DiskId disk;
    private final long maxGuestBlockNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition change = lock.newCondition();
    private int inFlight;
    private Barrier closedBy;

    WriteGate(DiskId disk, Duration maxGuestBlock) {
        this.disk = disk;
        this.maxGuestBlockNanos = maxGuestBlock.toNanos();
    }

    /** Waits (bounded) while a barrier is closed, then counts the caller as a write in flight. */
    void enter() throws InterruptedException {
        lock.lock();
        try {
            if (closedBy != null) {
                long left = maxGuestBlockNanos;
                while (closedBy != null && left > 0) {
                    left = change.awaitNanos(left);
                }
                if (closedBy != null) {
                    LOG.warn("disk={} a write waited {} ms at a write barrier: the barrier is broken, the write goes on",
                            disk, TimeUnit.NANOSECONDS.toMillis(maxGuestBlockNanos));
                    closedBy.broken = true;
                    closedBy = null;
                    change.signalAll();
                }
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                change.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the gate and waits until no write is in flight.
     *
     * @throws CaptureException {@link CaptureError#BARRIER_TIMEOUT} when writes are still in flight after
     *     {@code timeout}; the gate is open again
     */
    WriteBarrier close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (closedBy != null && left > 0) {
                left = change.awaitNanos(left);
            }
            if (closedBy != null) {
                throw timeout(timeout, "another barrier is held");
            }
            Barrier barrier = new Barrier();
            closedBy = barrier;
            while (inFlight > 0 && left > 0) {
                left = change.awaitNanos(left);
            }
            if (inFlight > 0 || barrier.broken) {
                if (closedBy == barrier) {
                    closedBy = null;
                    change.signalAll();
                }
                throw timeout(timeout, inFlight + " writes still in flight");
            }
            return barrier;
        } finally {
            lock.unlock();
        }
    }

    private CaptureException timeout(Duration timeout, String why) {
        return new CaptureException(CaptureError.BARRIER_TIMEOUT, "disk " + disk + ": no write barrier within "
                + timeout.toMillis() + " ms (" + why + ")", "the cut was aborted and writes went on; retry the marker later");
    }

    private final class Barrier implements WriteBarrier {
        private boolean broken;
        private boolean released;

        @Override
        public boolean intact() {
            lock.lock();
            try {
                return !broken && !released;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                released = true;
                if (closedBy == this) {
                    closedBy = null;
                    change.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
