package org.boomerang.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a journal directory, held while the journal is open: a second open (another
 * process, or this one) is refused instead of recovering — and possibly truncating — a journal that is
 * being written. The operating system releases the lock when the process dies, so a crash never leaves
 * a stale lock behind.
 *
 * <p>Thread-safety: {@link #close()} is idempotent and safe from any thread.
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new JournalException(JournalError.IN_USE, "the journal in " + file.getParent() + " is open elsewhere",
                    "stop the other 'boomerang journal' command (or process) that uses it, then run this again");
        }
        return new DirectoryLock(ch, lock);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
