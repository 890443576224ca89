package org.boomerang.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.PrivateFiles;

/**
 * The lock that makes a data folder one control server's alone: an exclusive {@link FileLock} on
 * {@code <data>/server.lock}, held through an open channel for as long as the server runs. A
 * second server on the same folder (another process, or another runtime in the same JVM) is refused
 * with {@link ServerError#DATA_FOLDER_IN_USE}, naming the holder. The kernel drops the lock when the
 * holder exits, also after {@code kill -9}, so a stale file never blocks a restart.
 *
 * <p>File format ({@code server.lock}, UTF-8, mode 0600, rewritten by each holder): one line
 * {@code pid=<pid> node=<lease owner>}, for the refusal message only; the lock, not the text, is
 * what counts. Not thread-safe; one owner.
 */
public final class DataFolderLock implements AutoCloseable {
    public static final String FILE_NAME = "server.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code data} (which must exist) for the server named {@code owner}, or refuses. */
    public static DataFolderLock acquire(Path data, String owner) {
        requireNonNull(data, "data is null");
        requireNonNull(owner, "owner is null");
        Path file = data.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            PrivateFiles.restrict(file);
        } catch (IOException e) {
            throw new BoomerangException(ServerError.DATA_FOLDER_UNUSABLE, "cannot open the lock file " + file + ": " + e.getMessage(),
                    "check that the data folder is writable by the server's user", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new BoomerangException(ServerError.DATA_FOLDER_UNUSABLE, "cannot lock " + file + ": " + e.getMessage(),
                    "put the data folder on a local file system that supports locks", e);
        }
        if (lock == null) {
            String holder = holder(file);
            close(channel);
            throw new BoomerangException(ServerError.DATA_FOLDER_IN_USE,
                    "another control server runs on the data folder " + data + (holder.isEmpty() ? "" : " (" + holder + ")"),
                    "stop that server first, or give this one its own folder with --data");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid=" + ProcessHandle.current().pid() + " node=" + owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
        } catch (IOException e) {
            close(channel);
            throw new BoomerangException(ServerError.DATA_FOLDER_UNUSABLE, "cannot write the lock file " + file + ": " + e.getMessage(),
                    "check the data folder's disk", e);
        }
        return new DataFolderLock(file, channel, lock);
    }

    private static String holder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked through it
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; the file stays (the next holder rewrites it). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        close(channel);
    }
}
