package org.boomerang.journal.segment;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;

/**
 * One segment file of a journal: appends records at its end (the active segment) and reads record
 * payloads for views. The bytes follow {@link SegmentFormat}.
 *
 * <p>Thread-safety: appends must be serialised by the caller (the journal's append lock); reads
 * are positional and may run concurrently with appends and each other. Ownership: the segment owns
 * its channel and closes it in {@link #close()}.
 */
public final class SegmentFile implements AutoCloseable {
    private final Path path;
    private final Lsn firstLsn;
    private final FileChannel channel;
    private volatile long size;
    /** Direct I/O for large appends; opened lazily on the active segment, closed when it is sealed. */
    private volatile DirectAppender direct;
    private boolean directTried;
    /** The compact locators of this segment's records, filled by the journal in LSN order. */
    private final RecordTable records = new RecordTable(this);

    private SegmentFile(Path path, Lsn firstLsn, FileChannel channel, long size) {
        this.path = requireNonNull(path, "path is null");
        this.firstLsn = requireNonNull(firstLsn, "firstLsn is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.size = size;
    }

    /** Creates a new segment holding only its header, durable (file and directory fsynced) on return. */
    public static SegmentFile create(Path dir, Lsn firstLsn, UUID generation) throws IOException {
        Path path = dir.resolve(SegmentName.of(firstLsn));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = SegmentFormat.encodeHeader(firstLsn, generation);
            writeFully(ch, header, 0);
            ch.force(true);
            AtomicFile.fsyncDirectory(dir);
            return new SegmentFile(path, firstLsn, ch, SegmentFormat.HEADER_SIZE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The name of the spare file a writer prepares before it needs its next segment. It ends in {@code .tmp}:
     * recovery deletes it (it never holds a record; see {@link SegmentFormat} on the roll).
     */
    public static final String SPARE_NAME = "next-segment.tmp";

    /**
     * An empty file prepared off the append path, durable with its directory entry, that a roll turns into
     * the next segment ({@link #activate}). Closing it without activating it deletes the file.
     */
    public record Spare(Path path, FileChannel channel) implements AutoCloseable {
        public Spare {
            requireNonNull(path, "path is null");
            requireNonNull(channel, "channel is null");
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Creates the spare file {@link #SPARE_NAME} in {@code dir} (replacing a leftover one) and makes it and
     * its directory entry durable: the two fsyncs a roll would otherwise run under the append lock.
     */
    public static Spare prepareSpare(Path dir) throws IOException {
        Path path = dir.resolve(SPARE_NAME);
        Files.deleteIfExists(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ch.force(true);
            AtomicFile.fsyncDirectory(dir);
            return new Spare(path, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * Turns {@code spare} into the segment starting at {@code firstLsn}: writes the header and renames the
     * file to the segment's name, without an fsync. Neither is durable on return: the writer fsyncs the
     * segment and the directory before it acknowledges any record of it, and until then recovery treats the
     * segment as part of the torn tail (a missing name, a missing header and missing records alike).
     */
    public static SegmentFile activate(Spare spare, Lsn firstLsn, UUID generation) throws IOException {
        Path path = spare.path().resolveSibling(SegmentName.of(firstLsn));
        writeFully(spare.channel(), SegmentFormat.encodeHeader(firstLsn, generation), 0);
        Files.move(spare.path(), path); // rename(2); refuses when the name exists
        return new SegmentFile(path, firstLsn, spare.channel(), SegmentFormat.HEADER_SIZE);
    }

    /** Opens an existing segment for reading and (when it is the active one) appending. */
    public static SegmentFile open(Path path, Lsn firstLsn, boolean writable) throws IOException {
        FileChannel ch = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        return new SegmentFile(path, firstLsn, ch, ch.size());
    }

    public Path path() {
        return path;
    }

    public String name() {
        return path.getFileName().toString();
    }

    public Lsn firstLsn() {
        return firstLsn;
    }

    /** The locators of the records the journal holds in this segment. */
    public RecordTable records() {
        return records;
    }

    /** The append position: bytes of valid content. */
    public long size() {
        return size;
    }

    /** Reads the header; null when the file is shorter than a header or the header is invalid. */
    public SegmentFormat.Header readHeader() throws IOException {
        if (channel.size() < SegmentFormat.HEADER_SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
        readFully(b, 0);
        return SegmentFormat.decodeHeader(b.flip());
    }

    /** Appends a write record; not durable until {@link #force()}. */
    public RecordRef appendWrite(long lsn, long offset, ByteBuffer payload) throws IOException {
        int length = payload.remaining();
        ByteBuffer header = SegmentFormat.encodeWriteHeader(lsn, offset, payload);
        long position = size;
        long want = header.remaining() + (long) length;
        if (length >= DirectAppender.THRESHOLD && directAppender() != null) {
            direct.write(channel, position, header, payload);
        } else {
            awaitDirectWrites();
            ByteBuffer[] parts = {header, payload.duplicate()};
            long done = 0;
            channel.position(position);
            while (done < want) {
                done += channel.write(parts);
            }
        }
        size = position + want;
        return new RecordRef(lsn, RecordKind.WRITE, this, position, SegmentFormat.WRITE_PREFIX + length,
                offset, length, null, null, true);
    }

    /** Appends a trim or zero record. */
    public RecordRef appendRange(RecordKind kind, long lsn, long offset, long length) throws IOException {
        awaitDirectWrites();
        ByteBuffer b = SegmentFormat.encodeRange(kind, lsn, offset, length);
        long position = size;
        writeFully(channel, b, position);
        size = position + SegmentFormat.RECORD_HEADER_SIZE + SegmentFormat.RANGE_BODY_SIZE;
        return new RecordRef(lsn, kind, this, position, SegmentFormat.RANGE_BODY_SIZE, offset, length, null, null, true);
    }

    /** Appends a marker record. */
    public RecordRef appendMarker(long lsn, Marker marker) throws IOException {
        awaitDirectWrites();
        ByteBuffer b = SegmentFormat.encodeMarker(lsn, marker);
        long position = size;
        int total = b.remaining();
        writeFully(channel, b, position);
        size = position + total;
        return new RecordRef(lsn, RecordKind.MARKER, this, position, total - SegmentFormat.RECORD_HEADER_SIZE,
                0, 0, marker, null, true);
    }

    /** Appends a window-open ({@code reason} non-null) or window-close ({@code reason} null) record. */
    public RecordRef appendWindow(long lsn, String reason) throws IOException {
        awaitDirectWrites();
        ByteBuffer b = SegmentFormat.encodeWindow(lsn, reason);
        long position = size;
        int total = b.remaining();
        writeFully(channel, b, position);
        size = position + total;
        RecordKind kind = reason == null ? RecordKind.WINDOW_CLOSE : RecordKind.WINDOW_OPEN;
        return new RecordRef(lsn, kind, this, position, total - SegmentFormat.RECORD_HEADER_SIZE, 0, 0, null, reason, true);
    }

    /**
     * True when the record at {@code ref} holds exactly the bytes {@code parts} (a whole encoded record,
     * possibly in pieces): how a resent record is told from a different one at the same LSN.
     */
    public boolean holds(RecordRef ref, ByteBuffer... parts) throws IOException {
        long total = 0;
        for (ByteBuffer p : parts) {
            total += p.remaining();
        }
        if (total != SegmentFormat.RECORD_HEADER_SIZE + (long) ref.bodyLength()) {
            return false;
        }
        awaitDirectWrites();
        ByteBuffer stored = ByteBuffer.allocate((int) total);
        readFully(stored, ref.position());
        stored.flip();
        for (ByteBuffer p : parts) {
            ByteBuffer expected = p.duplicate();
            ByteBuffer actual = stored.slice(stored.position(), expected.remaining());
            if (!actual.equals(expected)) {
                return false;
            }
            stored.position(stored.position() + expected.remaining());
        }
        return true;
    }

    private DirectAppender directAppender() {
        if (!directTried) {
            directTried = true;
            direct = DirectAppender.open(path);
        }
        return direct;
    }

    /** Makes every appended byte durable (fdatasync), after the direct write in flight reached the device. */
    public void force() throws IOException {
        awaitDirectWrites();
        channel.force(false);
    }

    /** Waits for a pipelined direct write (see {@link DirectAppender}); a no-op without direct I/O. */
    private void awaitDirectWrites() throws IOException {
        DirectAppender d = direct;
        if (d != null) {
            d.awaitIdle();
        }
    }

    /**
     * Seals the segment (no more appends): cuts direct-I/O padding off its end and makes it durable.
     * Called by the writer on close; a roll runs {@link #finishAppends()} under the append lock and
     * {@link #forceSealed()} later, off the append path.
     */
    public void seal() throws IOException {
        finishAppends();
        forceSealed();
    }

    /**
     * Ends appending without an fsync: stops direct I/O (after the write in flight) and cuts its padding
     * off the end, so that the file ends at its last record once it is forced.
     */
    public void finishAppends() throws IOException {
        DirectAppender d = direct;
        if (d != null) {
            d.close();
            direct = null;
        }
        if (channel.size() > size) {
            channel.truncate(size);
        }
    }

    /** Makes a segment that takes no more appends durable, size included (fsync), and drops its table's slack. */
    public void forceSealed() throws IOException {
        channel.force(true);
        records.trim();
    }

    /**
     * Reads {@code dst.remaining()} bytes of a write record's payload starting at disk offset
     * {@code diskOffset}. The record's checksum is checked against the disk once, before its first
     * use: a corrupt record is never served.
     */
    public void readPayload(RecordRef ref, long diskOffset, ByteBuffer dst) throws IOException {
        awaitDirectWrites();
        if (!ref.verified()) {
            verify(ref);
        }
        long within = diskOffset - ref.offset();
        if (within < 0 || within + dst.remaining() > ref.length()) {
            throw new IllegalArgumentException("read outside record " + ref);
        }
        readFully(dst, ref.payloadPosition() + within);
    }

    /** Reads the whole record and checks its checksum; throws {@link JournalError#CORRUPT_RECORD} on mismatch. */
    public void verify(RecordRef ref) throws IOException {
        awaitDirectWrites();
        ByteBuffer whole = ByteBuffer.allocate(SegmentFormat.RECORD_HEADER_SIZE + ref.bodyLength()).order(ByteOrder.BIG_ENDIAN);
        if (ref.end() > channel.size()) {
            throw JournalException.corruptRecord(name(), ref.position(), "the file ends inside the record");
        }
        readFully(whole, ref.position());
        whole.flip();
        int stored = whole.getInt(0);
        int actual = SegmentFormat.checksum(whole.slice(4, SegmentFormat.RECORD_HEADER_SIZE - 4),
                whole.slice(SegmentFormat.RECORD_HEADER_SIZE, ref.bodyLength()));
        if (stored != actual || whole.getLong(8) != ref.lsn()) {
            throw JournalException.corruptRecord(name(), ref.position(), "checksum mismatch");
        }
        ref.markVerified();
        records.markVerified(ref.lsn());
    }

    /**
     * Rebuilds a locator from a segment index entry ({@link SegmentIndexFile}). Markers and window reasons
     * are read back from the file (their text is not in the index); null when the bytes there are not that
     * marker.
     */
    public RecordRef locate(SegmentIndexFile.Entry e) throws IOException {
        if (e.position() + SegmentFormat.RECORD_HEADER_SIZE + e.bodyLength() > size) {
            return null;
        }
        Marker marker = null;
        String reason = null;
        if (e.kind() == RecordKind.MARKER || e.kind() == RecordKind.WINDOW_OPEN) {
            ByteBuffer body = ByteBuffer.allocate(e.bodyLength());
            readFully(body, e.position() + SegmentFormat.RECORD_HEADER_SIZE);
            body.flip();
            if (e.kind() == RecordKind.MARKER) {
                marker = SegmentFormat.decodeMarker(body);
            } else {
                reason = SegmentFormat.decodeReason(body);
            }
            if (marker == null && reason == null) {
                return null;
            }
        }
        return new RecordRef(e.lsn(), e.kind(), this, e.position(), e.bodyLength(), e.offset(), e.length(), marker, reason,
                false);
    }

    /** Maps {@code [from, size)} read-only, for scanning. */
    ByteBuffer mapFrom(long from) throws IOException {
        long fileSize = channel.size();
        if (fileSize - from > Integer.MAX_VALUE) {
            throw new JournalException(JournalError.CORRUPT_SEGMENT, "segment " + name() + " is larger than 2 GiB",
                    "segments roll at the configured size; this file was not written by Boomerang");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, from, fileSize - from).order(ByteOrder.BIG_ENDIAN);
    }

    public long fileSize() throws IOException {
        return channel.size();
    }

    /** Cuts the file at {@code position} (a torn tail) and makes that durable. */
    public void truncate(long position) throws IOException {
        channel.truncate(position);
        channel.force(true);
        size = position;
    }

    /** Sets the append position after recovery scanned the valid content. */
    public void setSize(long validSize) {
        this.size = validSize;
    }

    @Override
    public void close() throws IOException {
        DirectAppender d = direct;
        direct = null;
        try {
            if (d != null) {
                d.close();
            }
        } finally {
            channel.close();
        }
    }

    /** Closes and deletes the file, and its index file first (an index without its segment is never left to be trusted). */
    public void delete() throws IOException {
        close();
        SegmentIndexFile.delete(path.getParent(), firstLsn);
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return "SegmentFile[" + name() + "]";
    }

    private void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw JournalException.corruptRecord(name(), position, "the file ends early");
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
