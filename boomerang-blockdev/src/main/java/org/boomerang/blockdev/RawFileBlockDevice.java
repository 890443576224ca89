package org.boomerang.blockdev;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlockDevice} over a sparse raw image file or a block-device path.
 *
 * <p>I/O is positional {@link FileChannel} I/O: with a direct buffer the JDK reads and writes straight
 * from it, no copy per request. Trim punches holes with {@code fallocate(PUNCH_HOLE|KEEP_SIZE)}; on a
 * file system without hole punching it writes zeroes instead and says so once in the log. The allocation
 * map comes from {@code lseek(SEEK_DATA/SEEK_HOLE)}; where that is unavailable the whole range is data.
 * {@link #transferTo} sends a range to a socket with sendfile. {@link #inMemory} asks {@code mincore} over a
 * read-only mapping of the whole device that nothing ever reads through (see there).
 *
 * <p>A failed fsync (in {@link #flush()}, or for a FUA write or zeroing) is final, as in the journal's
 * writer: after it the kernel may have dropped the dirty pages and marked them clean, so a second fsync can
 * succeed without the data. The device is then poisoned: that call and every later write, trim, zeroing and
 * flush throw {@link BlockDeviceError#FSYNC_FAILED} with the first failure as the cause; reads still work.
 * Only reopening the device (after checking the disk and its data) clears it.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: the device owns its channel and descriptor and
 * closes both in {@link #close()}.
 */
public final class RawFileBlockDevice implements BlockDevice {
    private static final int DEFAULT_LOGICAL_BLOCK_SIZE = 512;
    private static final int ZERO_CHUNK = 1 << 20;
    /** The page size {@link #inMemory} counts in; where pages are larger, mincore refuses and the answer is "cannot tell". */
    private static final long PAGE = 4096;
    /** Ranges of up to this many pages are checked page by page by {@link #inMemory}; longer ones are sampled. */
    private static final int SAMPLED_PAGES = 3;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    /** A descriptor of our own for fallocate and lseek, opened on first need (see {@link #nativeFd()}). */
    private int nativeFd;
    private boolean nativeOpened;
    private final long size;
    private final boolean readOnly;
    /** SEEK_DATA/SEEK_HOLE describe regular files only; decided once at open, not per allocation query. */
    private final boolean regularFile;
    private final AtomicBoolean punchHoleWorks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FileSync fileSync;
    /** The error every mutating call throws once an fsync has failed; null while none has. */
    private volatile BlockDeviceException poisoned;
    /** The whole device mapped read-only for {@link #inMemory}, made on its first call; never read through. */
    private volatile MemorySegment mapping;
    private Arena mappingArena;
    private boolean mappingTried;

    /** {@code nativeFd} is a descriptor already opened for the device (to find a block device's size), or -1. */
    private RawFileBlockDevice(Path path, FileChannel channel, int nativeFd, long size, boolean readOnly, FileSync fileSync) {
        this.path = path;
        this.fileSync = fileSync;
        this.channel = channel;
        this.nativeFd = nativeFd;
        this.nativeOpened = nativeFd >= 0;
        this.size = size;
        this.readOnly = readOnly;
        this.regularFile = Files.isRegularFile(path);
        this.punchHoleWorks = new AtomicBoolean(NativeFiles.available());
    }

    /**
     * The native descriptor, opened on the first trim, zeroing or allocation query: a command that only
     * reads and writes (a tracked sync) then never links a native call. -1 where native calls are absent or
     * refused; callers fall back to plain Java I/O.
     */
    private synchronized int nativeFd() {
        if (!nativeOpened && !closed.get()) {
            nativeOpened = true;
            if (NativeFiles.available()) {
                try {
                    nativeFd = NativeFiles.open(path, readOnly);
                } catch (IOException | RuntimeException | LinkageError e) {
                    nativeFd = -1;
                    punchHoleWorks.set(false);
                }
            } else {
                nativeFd = -1;
            }
        }
        return nativeFd;
    }

    /** Opens an existing image file or block device. */
    public static RawFileBlockDevice open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, FileSync.FDATASYNC);
    }

    /** Opens with {@code fileSync} doing the fsyncs: the seam through which tests make an fsync fail. */
    static RawFileBlockDevice open(Path path, boolean readOnly, FileSync fileSync) throws IOException {
        requireNonNull(path, "path is null");
        requireNonNull(fileSync, "fileSync is null");
        Set<StandardOpenOption> options = readOnly
                ? EnumSet.of(StandardOpenOption.READ)
                : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options);
        } catch (NoSuchFileException e) {
            throw new BlockDeviceException(BlockDeviceError.NOT_FOUND, "no such image file or device: " + path,
                    "create it first (e.g. 'truncate -s 2G " + path + "') or check the path");
        }
        int fd = -1;
        try {
            long size = channel.size();
            if (size == 0 && NativeFiles.available() && !Files.isRegularFile(path)) {
                fd = NativeFiles.open(path, readOnly); // a block device: its size comes from lseek(SEEK_END)
                long end = NativeFiles.lseek(fd, 0, NativeFiles.SEEK_END);
                size = Math.max(end, 0);
            }
            return new RawFileBlockDevice(path, channel, fd, size, readOnly, fileSync);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (fd >= 0) {
                NativeFiles.close(fd);
            }
            throw e;
        }
    }

    /** Creates a new sparse image file of {@code size} bytes (fails if it exists) and opens it read-write. */
    public static RawFileBlockDevice create(Path path, long size) throws IOException {
        if (size <= 0) {
            throw new BlockDeviceException(BlockDeviceError.BAD_SIZE, "image size must be positive: " + size,
                    "give a size such as 1G");
        }
        Files.createFile(path);
        // RandomAccessFile.setLength grows a file with ftruncate, leaving it sparse (FileChannel.truncate never grows).
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
            file.getFD().sync();
        }
        return open(path, false);
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int logicalBlockSize() {
        return DEFAULT_LOGICAL_BLOCK_SIZE;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        BlockDevice.checkRange(this, offset, dst.remaining());
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                // A block device or a file shortened under us: the rest reads as zeroes.
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    private synchronized MemorySegment map() throws IOException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
        if (mappingTried) {
            return mapping;
        }
        mappingTried = true;
        if (size == 0) {
            return null;
        }
        Arena arena = Arena.ofShared();
        try {
            mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            mappingArena = arena;
        } catch (IOException | RuntimeException e) {
            arena.close();
            LoggerFactory.getLogger(RawFileBlockDevice.class).debug("{} cannot be mapped; inMemory cannot tell: {}", path, e.toString());
        }
        return mapping;
    }

    /**
     * Asks the kernel with {@code mincore} whether the range is in the page cache: every page of a range of
     * up to {@link #SAMPLED_PAGES} pages, else its first, middle and last pages. mincore
     * takes an address range, so the device is mapped read-only once (address space only); nothing reads
     * through the mapping, so no page is ever mapped into our page tables and the mapping costs nothing
     * after the {@code mmap}. True (cannot tell) where the mapping or the call is unavailable. Linux answers
     * from the page cache when the process owns the file or may write to it; otherwise cached pages count as
     * absent and their reads are merely scheduled as slow ones.
     *
     * <p>Reading through the mapping instead of {@code pread} was tried for NBD replies (the kernel copying
     * the page cache straight into the socket) and dropped: on this project's VM 1 MiB reads at four
     * connections fell to 0.57× nbdkit, the client's CPU per request doubling (docs/benchmarks.md).
     */
    @Override
    public boolean inMemory(long offset, int length) {
        if (length <= 0 || !NativeFiles.available()) {
            return true;
        }
        MemorySegment m;
        try {
            m = mapping != null ? mapping : map();
        } catch (IOException e) {
            return true;
        }
        if (m == null || offset < 0 || offset + length > size) {
            return true;
        }
        long first = offset & -PAGE;
        long last = (offset + length - 1) & -PAGE;
        long pages = (last - first) / PAGE + 1;
        if (pages <= SAMPLED_PAGES) {
            return resident(m, first, (int) pages);
        }
        // A long range: its first, middle and last pages stand for it. Asking for every page cost about 4 %
        // of the server's CPU on 1 MiB reads (a page-cache lookup per page); a range missed this way is
        // only read the old way, waiting for the disk alone.
        return resident(m, first, 1) && resident(m, first + (pages / 2) * PAGE, 1) && resident(m, last, 1);
    }

    /** True when mincore says all {@code pages} pages from {@code pageOffset} are in the page cache, or cannot say. */
    private static boolean resident(MemorySegment m, long pageOffset, int pages) {
        byte[] vector = new byte[pages];
        try {
            if (NativeFiles.mincore(m.address() + pageOffset, (long) pages * PAGE, vector) != 0) {
                return true;
            }
        } catch (IllegalStateException | LinkageError e) {
            return true;
        }
        for (byte b : vector) {
            if ((b & 1) == 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code posix_fadvise(WILLNEED)}: the kernel queues reads of the missing pages and returns. */
    @Override
    public void prefetch(long offset, long length) {
        if (length <= 0 || offset < 0 || offset >= size) {
            return;
        }
        int fd = nativeFd();
        if (fd < 0) {
            return;
        }
        try {
            NativeFiles.fadvise(fd, offset, Math.min(length, size - offset), NativeFiles.POSIX_FADV_WILLNEED);
        } catch (IllegalStateException | LinkageError e) {
            // a hint only: the read that follows fetches the range itself
        }
    }

    /** Always: the file's bytes go to a socket by sendfile ({@link FileChannel#transferTo}). */
    @Override
    public boolean canTransfer() {
        return true;
    }

    /**
     * Sends the range with {@link FileChannel#transferTo}, which is sendfile on Linux: the page cache's
     * pages go to the socket without a copy through user space. Where it stops short (a non-blocking target
     * whose buffer is full, or the end of a file shortened under us) the rest is read and written through a
     * buffer, padded with zeroes as {@link #read} does; a blocking target's writes wait for room, a
     * non-blocking one is retried until it takes the bytes.
     */
    @Override
    public void transferTo(long offset, long length, WritableByteChannel target) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long n = channel.transferTo(pos, end - pos, target);
            if (n <= 0) {
                copyThroughBuffer(pos, end, target);
                return;
            }
            pos += n;
        }
    }

    private void copyThroughBuffer(long from, long end, WritableByteChannel target) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(end - from, 1 << 20));
        for (long pos = from; pos < end; pos += buf.limit()) {
            buf.clear().limit((int) Math.min(end - pos, buf.capacity()));
            read(pos, buf);
            buf.flip();
            while (buf.hasRemaining()) {
                target.write(buf);
            }
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        checkWritable();
        BlockDevice.checkRange(this, offset, src.remaining());
        long pos = offset;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        if (fua) {
            sync();
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            sync();
        }
    }

    /**
     * fsync (data only) through the {@link FileSync} seam; a failure poisons the device, see the class
     * comment. A closed channel is not a failed fsync: nothing was lost by it.
     */
    private void sync() throws IOException {
        checkNotPoisoned();
        try {
            fileSync.force(channel);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw poison(e);
        }
    }

    private synchronized BlockDeviceException poison(IOException cause) {
        if (poisoned == null) {
            poisoned = new BlockDeviceException(BlockDeviceError.FSYNC_FAILED, "fsync of " + path + " failed (" + cause.getMessage()
                    + "); writes since its last successful flush may be lost, so the device refuses every further write and flush",
                    "check the disk and the kernel log (dmesg), then reopen the device and verify its data against a good copy "
                            + "(or resync it) before using it again", cause);
            LoggerFactory.getLogger(RawFileBlockDevice.class).error("{}", poisoned.getMessage());
        }
        return poisoned;
    }

    private void checkNotPoisoned() {
        BlockDeviceException p = poisoned;
        if (p != null) {
            throw new BlockDeviceException(p.code(), p.getMessage(), p.hint(), p.getCause());
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        checkWritable();
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        if (!punchHole(offset, length)) {
            writeZeroBytes(offset, length);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, boolean fua) throws IOException {
        checkWritable();
        BlockDevice.checkRange(this, offset, length);
        if (length == 0) {
            return;
        }
        boolean done = mayUnmap && punchHole(offset, length);
        if (!done) {
            int fd = nativeFd();
            done = fd >= 0 && NativeFiles.fallocate(fd, NativeFiles.FALLOC_FL_ZERO_RANGE | NativeFiles.FALLOC_FL_KEEP_SIZE, offset, length) == 0;
        }
        if (!done) {
            writeZeroBytes(offset, length);
        }
        if (fua) {
            sync();
        }
    }

    @Override
    public List<Extent> allocation(long offset, long length) throws IOException {
        BlockDevice.checkRange(this, offset, length);
        List<Extent> extents = new ArrayList<>();
        if (length == 0) {
            return extents;
        }
        long end = offset + length;
        int fd = regularFile ? nativeFd() : -1;
        if (fd < 0) {
            extents.add(Extent.data(offset, length));
            return extents;
        }
        long pos = offset;
        while (pos < end) {
            long data = NativeFiles.lseek(fd, pos, NativeFiles.SEEK_DATA);
            if (data == -NativeFiles.ENXIO || (data >= 0 && data >= end)) {
                extents.add(Extent.hole(pos, end - pos));
                break;
            }
            if (data < 0) {
                // SEEK_DATA unsupported here: report what is left as data, which is always safe.
                extents.add(Extent.data(pos, end - pos));
                break;
            }
            if (data > pos) {
                extents.add(Extent.hole(pos, data - pos));
            }
            long hole = NativeFiles.lseek(fd, data, NativeFiles.SEEK_HOLE);
            long dataEnd = hole < 0 ? end : Math.min(hole, end);
            extents.add(Extent.data(data, dataEnd - data));
            pos = dataEnd;
        }
        return extents;
    }

    @Override
    public boolean releasesSpaceOnTrim() {
        return punchHoleWorks.get();
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                unmap();
                channel.close();
            } finally {
                synchronized (this) {
                    if (nativeFd >= 0) {
                        NativeFiles.close(nativeFd);
                        nativeFd = -1;
                    }
                }
            }
        }
    }

    /** Unmaps the device; an {@link #inMemory} call racing with it gets "cannot tell" from mincore. */
    private synchronized void unmap() {
        mappingTried = true;
        mapping = null;
        if (mappingArena != null) {
            mappingArena.close();
            mappingArena = null;
        }
    }

    @Override
    public String toString() {
        return "RawFileBlockDevice[" + path + ", " + size + " bytes" + (readOnly ? ", ro" : "") + "]";
    }

    private boolean punchHole(long offset, long length) {
        int fd = punchHoleWorks.get() ? nativeFd() : -1;
        if (fd < 0) {
            return false;
        }
        int errno = NativeFiles.fallocate(fd, NativeFiles.FALLOC_FL_PUNCH_HOLE | NativeFiles.FALLOC_FL_KEEP_SIZE, offset, length);
        if (errno == 0) {
            return true;
        }
        if (punchHoleWorks.compareAndSet(true, false)) {
            LoggerFactory.getLogger(RawFileBlockDevice.class).warn("{}: the file system cannot punch holes (errno {}); trim writes zeroes instead and frees no space", path, errno);
        }
        return false;
    }

    private void writeZeroBytes(long offset, long length) throws IOException {
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            ByteBuffer chunk = ZEROES.duplicate();
            chunk.limit((int) Math.min(ZERO_CHUNK, end - pos));
            while (chunk.hasRemaining()) {
                pos += channel.write(chunk, pos);
            }
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new BlockDeviceException(BlockDeviceError.READ_ONLY, path + " is open read-only",
                    "open it read-write to change it");
        }
        checkNotPoisoned();
    }

    /** How the device makes its file durable; a seam so tests can make an fsync fail. */
    @FunctionalInterface
    interface FileSync {
        /** fdatasync: the data and what is needed to read it back, not the file's timestamps. */
        FileSync FDATASYNC = channel -> channel.force(false);

        void force(FileChannel channel) throws IOException;
    }
}
