package org.boomerang.journal.crash;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A file channel that writes through to the real file and records each write, truncation and fsync
 * in the {@link CrashLog}; an fsync the log is told to fail throws instead of reaching the disk.
 * Mappings are read-only, so they need no recording.
 */
final class RecordingChannel extends FileChannel {
    private final FileChannel real;
    private final CrashLog log;
    private final Path file;
    private final boolean directory;
    /** The file's inode in the log, fixed at open: writes after a rename still reach the same file. */
    private final Integer inode;

    RecordingChannel(FileChannel real, CrashLog log, Path file, boolean directory) {
        this.real = real;
        this.log = log;
        this.file = file;
        this.directory = directory;
        this.inode = directory ? null : log.inodeOf(file);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long pos = real.position();
        return write(src, pos, true);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (size < real.size()) {
            log.truncated(inode, size);
        }
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (directory) {
            real.force(metaData);
            log.directoryForced(file);
            return;
        }
        log.beforeForce(inode);
        real.force(metaData);
        log.forced(inode);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return write(src, position, false);
    }

    private int write(ByteBuffer src, long position, boolean advance) throws IOException {
        ByteBuffer copy = src.duplicate();
        int n = advance ? real.write(src) : real.write(src, position);
        byte[] bytes = new byte[n];
        copy.get(bytes);
        log.wrote(inode, position, bytes);
        return n;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (mode != MapMode.READ_ONLY) {
            throw new UnsupportedOperationException("writable mappings are not recorded");
        }
        return real.map(mode, position, size);
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        if (mode != MapMode.READ_ONLY) {
            throw new UnsupportedOperationException("writable mappings are not recorded");
        }
        return real.map(mode, offset, size, arena);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
