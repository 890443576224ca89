package org.boomerang.provider.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.common.BoomerangException;
import org.boomerang.provider.ProviderError;

/**
 * The lock of one estate folder: held for every read-modify-write of the estate, so two providers
 * over one folder (in this process or in another: a control server and an operator's tool) never
 * interleave their changes. Inside the process a {@link ReentrantLock} per folder orders the
 * threads (a JVM cannot take one {@link FileLock} twice); across processes an exclusive
 * {@link FileLock} on {@code <estate>/.lock} does. Thread-safe.
 */
final class EstateLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    static final String NAME = ".lock";

    private final Path lockFile;
    private final ReentrantLock local;

    EstateLock(Path folder) {
        Path real = folder.toAbsolutePath().normalize();
        this.lockFile = real.resolve(NAME);
        this.local = IN_PROCESS.computeIfAbsent(real, p -> new ReentrantLock());
    }

    /** Runs {@code action} holding the folder's lock; re-entrant inside one thread. */
    <T> T hold(java.util.function.Supplier<T> action) {
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot lock the estate at " + lockFile + ": " + e.getMessage(),
                        "check that the estate folder exists and is writable", e);
            }
        } finally {
            local.unlock();
        }
    }
}
