package org.boomerang.dataplane.processserver;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.boomerang.common.AtomicFile;
import org.boomerang.stream.WriteCodec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process server's bounded on-disk cache of one disk's stream: records the agent sent that the
 * master target has not yet acknowledged. A record is acknowledged to the agent only once it is durable
 * here, so a kill of the process server loses nothing the agent was told is safe.
 *
 * <p>Format (this class owns it; docs/formats.md repeats it). Directory {@code <cache>/<diskId>/}:
 * <pre>
 * disk.meta   written with AtomicFile.writeChecked (temp + fsync + rename, CRC32C trailer):
 *             magic:u32 = 0x424D5243 ("BMRC")  version:u32 = 1  helloLength:u32  hello:u8*helloLength
 *             (the stream's Hello message: disk id, generation, geometry)
 * NNNNNNNNNNNNNNNNNNNN.seg   a segment; the name is its first LSN, zero-padded to 20 digits
 *             entry*        entry := length:u32  crc:u32  record:u8*length
 *                           record = one protobuf Record (replication.proto), crc = CRC32C of record
 * </pre>
 * LSNs are consecutive across segments. Appends go to the newest segment and are fsynced before
 * {@link #append} returns; a segment rolls at {@link #segmentBytes}. Opening scans every segment and
 * cuts the newest one at its first torn or corrupt entry (a crash mid-append: never acknowledged).
 * Segments wholly at or below the master target's acknowledged LSN are deleted ({@link #trimThrough}).
 *
 * <p>Bound: {@link #append} waits while the cache holds {@code maxBytes} or more, so a full cache stops
 * reading the agent's stream (flow control reaches the agent, whose capture falls back to its dirty map).
 *
 * <p>Thread-safety: one appender (the agent's stream) and one reader (the stream to the master target)
 * at a time; all methods are safe to call concurrently.
 */
final class DiskCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    static final int META_MAGIC = 0x424D5243;
    static final int META_VERSION = 1;
    static final String META = "disk.meta";
    static final String SEGMENT_SUFFIX = ".seg";
    static final int ENTRY_HEADER = 8;
    /**
     * Bytes the reader takes from a segment per read call (see {@link EntryReader}): the entry of the largest
     * write (1 MiB of data and its record fields) fits in one.
     */
    static final int READ_CHUNK = WriteCodec.MAX_WRITE_BYTES + (64 << 10);

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Segments by first LSN. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Hello hello;
    private long lastLsn;
    private long usedBytes;
    private boolean closed;
    /** Where the reader's next record starts: (segment, LSN, byte position), so a read does not rescan. */
    private Segment hintSegment;
    private long hintLsn = -1;
    private long hintPos;

    /** One segment file: its LSN range and size. */
    private static final class Segment {
        final long firstLsn;
        final Path file;
        final FileChannel channel;
        long lastLsn;
        long size;

        Segment(long firstLsn, Path file, FileChannel channel) {
            this.firstLsn = firstLsn;
            this.file = file;
            this.channel = channel;
            this.lastLsn = firstLsn - 1;
        }
    }

    private DiskCache(Path dir, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /** Opens (or creates, empty) the cache of one disk in {@code dir}, recovering its segments. */
    static DiskCache open(Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        long segmentBytes = Math.max(1L << 20, Math.min(16L << 20, maxBytes / 4));
        DiskCache c = new DiskCache(dir, maxBytes, segmentBytes);
        c.recover();
        return c;
    }

    private void recover() throws IOException {
        Path meta = dir.resolve(META);
        if (Files.exists(meta)) {
            ByteBuffer b = AtomicFile.readChecked(meta);
            if (b == null || b.remaining() < 12 || b.getInt() != META_MAGIC || b.getInt() != META_VERSION) {
                throw new IOException("cache metadata " + meta + " is damaged; remove the directory " + dir
                        + " (records in it were not yet at the master target: the agent resends from its dirty map)");
            }
            byte[] h = new byte[b.getInt()];
            b.get(h);
            hello = Hello.parseFrom(h);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SEGMENT_SUFFIX)).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String name = f.getFileName().toString();
            long first = Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length()));
            FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(first, f, ch);
            long pos = 0;
            long size = ch.size();
            EntryReader entries = new EntryReader(seg, size);
            while (true) {
                Record r = entries.at(pos);
                if (r == null || r.getLsn() != seg.lastLsn + 1) {
                    break;
                }
                pos += entries.lastEntryBytes();
                seg.lastLsn = r.getLsn();
            }
            if (pos < size) {
                if (i < files.size() - 1) {
                    throw new IOException("cache segment " + f + " is damaged at byte " + pos + " before newer segments; remove "
                            + dir + " (the agent resends from its dirty map)");
                }
                LOG.warn("cache {}: cut the torn tail of {} at byte {} ({} bytes never acknowledged)", dir, f, pos, size - pos);
                ch.truncate(pos);
                ch.force(true);
            }
            seg.size = pos;
            if (!segments.isEmpty() && segments.lastEntry().getValue().lastLsn + 1 != first) {
                throw new IOException("cache segment " + f + " does not follow the one before it; remove " + dir);
            }
            segments.put(first, seg);
            usedBytes += pos;
            lastLsn = seg.lastLsn;
        }
    }

    /** The stream's hello recorded at the first connection (null before any). */
    Hello hello() {
        lock.lock();
        try {
            return hello;
        } finally {
            lock.unlock();
        }
    }

    /** Records the stream's hello (durably) and, when {@code restartAt} ≥ 0, drops every record and restarts the LSN there. */
    void resetHello(Hello h, long restartAt) throws IOException {
        lock.lock();
        try {
            if (restartAt >= 0) {
                for (Segment s : segments.values()) {
                    s.channel.close();
                    Files.deleteIfExists(s.file);
                }
                segments.clear();
                usedBytes = 0;
                lastLsn = restartAt;
            }
            byte[] hb = h.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(12 + hb.length).putInt(META_MAGIC).putInt(META_VERSION).putInt(hb.length).put(hb).flip();
            AtomicFile.writeChecked(dir.resolve(META), b);
            hello = h;
        } finally {
            lock.unlock();
        }
    }

    /** The newest LSN held (or, when empty, the LSN the cache continues after). */
    long lastLsn() {
        lock.lock();
        try {
            return lastLsn;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest LSN held, or {@link #lastLsn()} + 1 when empty. */
    long firstLsn() {
        lock.lock();
        try {
            for (Segment s : segments.values()) {
                if (s.lastLsn >= s.firstLsn) {
                    return s.firstLsn;
                }
            }
            return lastLsn + 1;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return firstLsn() > lastLsn();
    }

    long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Appends records continuing {@link #lastLsn()} and fsyncs them; waits first while the cache is full.
     * Returns the newest durable LSN.
     */
    long append(List<Record> records) throws IOException, InterruptedException {
        lock.lock();
        try {
            while (usedBytes >= maxBytes && !closed) {
                changed.await(200, TimeUnit.MILLISECONDS);
            }
            if (closed) {
                throw new IOException("the cache " + dir + " is closed");
            }
            Segment seg = segments.isEmpty() ? null : segments.lastEntry().getValue();
            if (seg == null || seg.size >= segmentBytes) {
                long first = lastLsn + 1;
                Path f = dir.resolve(String.format("%020d%s", first, SEGMENT_SUFFIX));
                seg = new Segment(first, f, FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE));
                AtomicFile.fsyncDirectory(dir);
                segments.put(first, seg);
            }
            int total = 0;
            for (Record r : records) {
                total += ENTRY_HEADER + r.getSerializedSize();
            }
            ByteBuffer buf = ByteBuffer.allocate(total);
            long expected = lastLsn + 1;
            for (Record r : records) {
                if (r.getLsn() != expected++) {
                    throw new IllegalArgumentException("cache " + dir + ": lsn=" + r.getLsn() + " does not follow lsn=" + (expected - 2));
                }
                int at = buf.position();
                int length = r.getSerializedSize();
                CodedOutputStream body = CodedOutputStream.newInstance(buf.array(), at + ENTRY_HEADER, length);
                r.writeTo(body);   // straight into the buffer that is written, not through a byte[] of its own
                body.checkNoSpaceLeft();
                CRC32C crc = new CRC32C();
                crc.update(buf.array(), at + ENTRY_HEADER, length);
                buf.putInt(length).putInt((int) crc.getValue()).position(at + ENTRY_HEADER + length);
            }
            buf.flip();
            long pos = seg.size;
            while (buf.hasRemaining()) {
                pos += seg.channel.write(buf, pos);
            }
            seg.channel.force(false);
            seg.size = pos;
            usedBytes += total;
            seg.lastLsn = records.getLast().getLsn();
            lastLsn = seg.lastLsn;
            changed.signalAll();
            return lastLsn;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records from {@code fromLsn} on, about {@code maxBytes} of payload at most (at least one when any is
     * held); waits up to {@code timeout} for one to arrive. Empty when none came.
     */
    List<Record> read(long fromLsn, int maxBytes, Duration timeout) throws IOException, InterruptedException {
        List<Record> out = new ArrayList<>();
        Segment seg;
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fromLsn > lastLsn && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return out;
                }
                changed.awaitNanos(left);
            }
            if (closed) {
                return out;
            }
            var e = segments.floorEntry(fromLsn);
            if (e == null) {
                throw new IOException("cache " + dir + " no longer holds lsn=" + fromLsn + " (it starts at " + firstLsn() + ")");
            }
            seg = e.getValue();
        } finally {
            lock.unlock();
        }
        long pos = seg == hintSegment && fromLsn == hintLsn ? hintPos : 0;
        long bytes = 0;
        long size;
        long segLast;
        lock.lock();
        try {
            size = seg.size;
            segLast = seg.lastLsn;
        } finally {
            lock.unlock();
        }
        EntryReader entries = new EntryReader(seg, size);   // size and lastLsn only grow: a snapshot bounds this read
        while (true) {
            Record r = entries.at(pos);
            if (r == null) {
                break;
            }
            pos += entries.lastEntryBytes();
            if (r.getLsn() >= fromLsn) {
                out.add(r);
                bytes += r.hasWrite() ? r.getWrite().getData().size() : 0;
                if (bytes >= maxBytes || r.getLsn() >= segLast) {
                    break;
                }
            }
        }
        if (!out.isEmpty()) {
            hintSegment = seg;
            hintLsn = out.getLast().getLsn() + 1;
            hintPos = pos;
        }
        return out;
    }

    /** Deletes the segments the master target holds wholly (every LSN at or below {@code lsn}). */
    void trimThrough(long lsn) throws IOException {
        lock.lock();
        try {
            boolean deleted = false;
            while (segments.size() > 1) {
                Segment oldest = segments.firstEntry().getValue();
                if (oldest.lastLsn > lsn) {
                    break;
                }
                segments.pollFirstEntry();
                oldest.channel.close();
                Files.deleteIfExists(oldest.file);
                usedBytes -= oldest.size;
                deleted = true;
            }
            if (deleted) {
                AtomicFile.fsyncDirectory(dir);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the entries of one segment up to {@code size}, {@link #READ_CHUNK} bytes per read call (an entry
     * larger than that in one call of its own) instead of two reads per entry: forwarding 4 KiB writes
     * read the cache with two system calls per record.
     */
    private static final class EntryReader {
        private final Segment seg;
        private final long size;
        private ByteBuffer chunk = ByteBuffer.allocate(0);
        private long chunkPos;
        private int lastEntryBytes;

        EntryReader(Segment seg, long size) {
            this.seg = seg;
            this.size = size;
        }

        /** The record of the entry at {@code pos}, or null where no whole entry with a good CRC32C starts. */
        Record at(long pos) throws IOException {
            if (pos + ENTRY_HEADER > size) {
                return null;
            }
            load(pos, ENTRY_HEADER);
            int length = chunk.getInt((int) (pos - chunkPos));
            int crc = chunk.getInt((int) (pos - chunkPos) + 4);
            if (length <= 0 || pos + ENTRY_HEADER + length > size) {
                return null;
            }
            load(pos, ENTRY_HEADER + length);
            int body = (int) (pos - chunkPos) + ENTRY_HEADER;
            CRC32C c = new CRC32C();
            c.update(chunk.array(), body, length);
            if ((int) c.getValue() != crc) {
                return null;
            }
            try {
                Record r = Record.parser().parseFrom(chunk.array(), body, length);   // copies: no record pins the chunk
                lastEntryBytes = ENTRY_HEADER + length;
                return r;
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        }

        /** Bytes of the entry {@link #at} returned last, header included. */
        int lastEntryBytes() {
            return lastEntryBytes;
        }

        private void load(long pos, int need) throws IOException {
            if (pos >= chunkPos && pos + need <= chunkPos + chunk.capacity()) {
                return;
            }
            ByteBuffer next = ByteBuffer.allocate((int) Math.min(size - pos, Math.max(READ_CHUNK, need)));
            if (pos >= chunkPos && pos < chunkPos + chunk.capacity()) {   // the part already read is kept, not read again
                next.put(chunk.array(), (int) (pos - chunkPos), (int) (chunkPos + chunk.capacity() - pos));
            }
            chunk = next;
            chunkPos = pos;
            readFully(seg.channel, chunk, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of a cache segment");
            }
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            for (Segment s : segments.values()) {
                s.channel.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
