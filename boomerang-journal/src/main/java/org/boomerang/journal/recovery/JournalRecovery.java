package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.segment.DurableMark;
import org.boomerang.journal.segment.RecordRange;
import org.boomerang.journal.segment.RecordRef;
import org.boomerang.journal.segment.SegmentFile;
import org.boomerang.journal.segment.SegmentFormat;
import org.boomerang.journal.segment.SegmentIndexFile;
import org.boomerang.journal.segment.SegmentName;
import org.boomerang.journal.segment.SegmentScanner;

/**
 * Opens the files of a journal directory and finds the valid records: checks the identity stamp,
 * reads the base state, trusts each segment's index file ({@link SegmentIndexFile}) where it agrees
 * with its segment, scans the rest (and indexes the sealed segments it scanned), truncates the torn tail
 * after the durability watermark (which may span the segments of an unfinished roll, see
 * {@link SegmentFormat}), and refuses corruption and missing segments with typed errors (SPEC §2.3). It never applies a record; finishing an interrupted retention is the journal's job.
 *
 * <p>Thread-safety: used once per open, by one thread.
 */
public final class JournalRecovery {
    /**
     * Everything recovery found. The caller owns the segments and must close them. {@code records} are the
     * retained records after the base, read from the segments' {@link org.boomerang.journal.segment.RecordTable}s
     * (recovery filled them) on demand. {@code mark} is the durability watermark read (null when the journal has none).
     */
    public record State(JournalIdentity identity, BaseState base, TreeMap<Long, SegmentFile> segments,
            List<RecordRef> records, RecoveryReport report, DurableMark.Mark mark) {}

    private final Path dir;
    private final boolean readOnly;

    /**
     * A recovery of {@code dir}. Read-only recovery changes no file (no truncation, no deletion) and
     * stops at the durability watermark: what a second process sees of a journal that is being written.
     */
    public JournalRecovery(Path dir, boolean readOnly) {
        this.dir = java.util.Objects.requireNonNull(dir, "dir is null");
        this.readOnly = readOnly;
    }

    /** Recovers the directory; {@code expected} (nullable) must match the identity stamp. */
    public State recover(JournalIdentity expected) throws IOException {
        JournalIdentity identity = IdentityStamp.read(dir);
        if (expected != null) {
            IdentityStamp.check(dir, identity, expected);
        }
        BaseState base = BaseState.read(dir);
        if (!readOnly) {
            deleteTemporaries();
        }
        boolean hasMark = DurableMark.exists(dir);
        DurableMark.Mark mark = hasMark ? DurableMark.read(dir, identity.generation()) : null;
        TreeMap<Long, SegmentFile> segments = openSegments();
        if (hasMark && mark == null) {
            // Both slots damaged: nothing in the last two segments (a roll's unsealed one and the new one) is
            // known durable; their damage is a torn tail.
            Long unsealed = segments.isEmpty() ? null : segments.lowerKey(segments.lastKey());
            long first = unsealed != null ? unsealed : segments.isEmpty() ? 0 : segments.lastKey();
            mark = new DurableMark.Mark(0, first, SegmentFormat.HEADER_SIZE, base.baseLsn().value());
        }
        try {
            if (!readOnly) {
                deleteStaleIndexes(segments);
            }
            return scan(identity, base, segments, mark);
        } catch (IOException | RuntimeException e) {
            for (SegmentFile s : segments.values()) {
                s.close();
            }
            throw e;
        }
    }

    private State scan(JournalIdentity identity, BaseState base, TreeMap<Long, SegmentFile> segments,
            DurableMark.Mark mark) throws IOException {
        long needFrom = base.baseLsn().value() + 1;
        checkHeaders(identity, segments, mark);
        // Segments wholly at or below the base were applied by retention; only deleting them was left.
        Long keepFrom = segments.floorKey(needFrom);
        for (Long first : new ArrayList<>(segments.headMap(keepFrom == null ? Long.MIN_VALUE : keepFrom, false).keySet())) {
            SegmentFile applied = segments.remove(first);
            if (readOnly) {
                applied.close();
            } else {
                applied.delete();
            }
        }
        if (readOnly && mark != null) {
            // A reader sees the durable part only: segments after the watermark's are being written.
            for (Long first : new ArrayList<>(segments.keySet())) {
                if (first > mark.segmentFirstLsn()) {
                    segments.remove(first).close();
                }
            }
        }
        if (!segments.isEmpty() && segments.firstKey() > needFrom) {
            throw missing(needFrom, segments.firstEntry().getValue());
        }
        long expected = needFrom;
        boolean indexUsed = false;
        long scanned = 0;
        long truncated = 0;
        String tornSegment = "";
        long tornPosition = -1;
        String tornReason = "";
        boolean firstSegment = true;
        for (Long key : new ArrayList<>(segments.keySet())) {
            SegmentFile seg = segments.get(key);
            if (seg == null) {
                break; // cut as the torn tail of a roll
            }
            long firstLsn = seg.firstLsn().value();
            // The first segment may start before the base; every other one must start where the previous one ended.
            if (!firstSegment) {
                checkContinuity(seg, firstLsn, expected);
            }
            firstSegment = false;
            boolean last = key.equals(segments.lastKey());
            List<RecordRef> segmentRecords = new ArrayList<>();
            long from = SegmentFormat.HEADER_SIZE;
            SegmentIndexFile.Loaded index = SegmentIndexFile.read(dir, identity.generation(), seg.firstLsn());
            List<RecordRef> indexed = index == null ? null : locate(index, seg);
            if (indexed != null) {
                segmentRecords.addAll(indexed);
                from = index.validEnd();
                indexUsed = true;
            }
            long scanFirst = firstLsn + segmentRecords.size();
            long durableBefore = durableBefore(seg, last, mark);
            boolean unsynced = durableBefore != SegmentScanner.ALL_DURABLE;
            SegmentScanner.Result r = SegmentScanner.scan(seg, from, scanFirst, durableBefore);
            if (r.tail() == SegmentScanner.Tail.TORN) {
                if (!last && !unsynced) {
                    throw JournalException.corruptRecord(seg.name(), r.validEnd(),
                            r.tornReason() + " in a sealed segment (later segments exist)");
                }
                truncated += seg.fileSize() - r.validEnd();
                tornSegment = seg.name();
                tornPosition = r.validEnd();
                tornReason = r.tornReason();
                if (!readOnly) {
                    seg.truncate(r.validEnd());
                }
                if (!last) {
                    // A roll's unsealed segment torn: the segments after it hold no acknowledged record.
                    truncated += cut(segments, segments.higherKey(key));
                    last = true;
                }
            } else if ((last || unsynced) && !readOnly) {
                // What recovery found is offered as durable from now on: make sure it is.
                seg.force();
            }
            seg.setSize(r.validEnd());
            scanned += r.records().size();
            segmentRecords.addAll(r.records());
            if (!last && unsynced && segments.higherKey(key) > firstLsn + segmentRecords.size()) {
                // A roll's unsealed segment lost its last records (never acknowledged: the writer fsyncs every
                // earlier segment before it acknowledges a later record), so the segments after it go too.
                truncated += cut(segments, segments.higherKey(key));
                tornSegment = seg.name();
                tornPosition = r.validEnd();
                tornReason = "the segment ends before the next segment's first LSN";
                last = true;
            }
            if (!readOnly && !last && (indexed == null || !r.records().isEmpty())) {
                // A sealed segment scanned: index it, so that the next open reads the index instead.
                SegmentIndexFile.write(dir, identity.generation(), seg, r.validEnd(), segmentRecords);
            }
            for (RecordRef ref : segmentRecords) {
                if (ref.lsn() >= needFrom) {
                    seg.records().add(ref);
                }
            }
            if (!last) {
                seg.records().trim(); // sealed: no record is added to it again, so drop the arrays' slack
            }
            expected = firstLsn + segmentRecords.size();
        }
        if (readOnly && mark != null) {
            long through = mark.lsn();
            expected = Math.min(expected, through + 1);
        }
        long lastLsn = Math.max(base.baseLsn().value(), expected - 1);
        List<RecordRef> records = new RecordRange(segments, needFrom - 1, lastLsn);
        RecoveryReport report = new RecoveryReport(base.baseLsn(), Lsn.of(lastLsn), segments.size(), indexUsed,
                scanned, truncated, tornSegment, tornPosition, tornReason, false);
        return new State(identity, base, segments, records, report, mark);
    }

    /**
     * Where the known-durable part of {@code seg} ends, for {@link SegmentScanner#scan}: the watermark's
     * offset in its segment; nothing of a later segment (a roll fsyncs the segments it leaves and the new
     * one after the roll, so several segments may follow the watermark's); everything of an earlier one.
     * Without a watermark file (journals that predate it) only the last segment may end torn.
     */
    private static long durableBefore(SegmentFile seg, boolean last, DurableMark.Mark mark) {
        if (mark == null) {
            return last ? SegmentScanner.NO_WATERMARK : SegmentScanner.ALL_DURABLE;
        }
        long first = seg.firstLsn().value();
        if (mark.segmentFirstLsn() == first) {
            return mark.offset();
        }
        return mark.segmentFirstLsn() > first ? SegmentScanner.ALL_DURABLE : SegmentFormat.HEADER_SIZE;
    }

    /** The index's records as locators of {@code seg}, or null when the index disagrees with the segment. */
    private static List<RecordRef> locate(SegmentIndexFile.Loaded index, SegmentFile seg) throws IOException {
        if (index.validEnd() > seg.fileSize()) {
            return null;
        }
        List<RecordRef> out = new ArrayList<>(index.entries().size());
        for (SegmentIndexFile.Entry entry : index.entries()) {
            RecordRef ref = seg.locate(entry);
            if (ref == null) {
                return null;
            }
            out.add(ref);
        }
        return out;
    }

    private void checkHeaders(JournalIdentity identity, TreeMap<Long, SegmentFile> segments, DurableMark.Mark mark)
            throws IOException {
        for (Map.Entry<Long, SegmentFile> e : new ArrayList<>(segments.entrySet())) {
            SegmentFile seg = e.getValue();
            SegmentFormat.Header h = seg.readHeader();
            boolean last = e.getKey().equals(segments.lastKey());
            if (h == null) {
                boolean unsynced = mark != null ? e.getKey() > mark.segmentFirstLsn()
                        : last && seg.fileSize() <= SegmentFormat.HEADER_SIZE;
                if (unsynced) {
                    // Started by a roll that crashed before its header was durable: neither it nor a later
                    // segment holds an acknowledged record.
                    cut(segments, e.getKey());
                    return;
                }
                throw new JournalException(JournalError.CORRUPT_SEGMENT, "segment " + seg.name()
                        + " has no valid header (size " + seg.fileSize() + " bytes)",
                        "the segment is damaged; restore the journal directory from a copy");
            }
            if (!h.generation().equals(identity.generation()) || h.firstLsn().value() != e.getKey()) {
                throw new JournalException(JournalError.CORRUPT_SEGMENT, "segment " + seg.name() + " belongs to generation "
                        + h.generation() + " first LSN " + h.firstLsn().value() + ", not to this journal (generation "
                        + identity.generation() + ")", "remove segments copied from another journal");
            }
        }
    }

    /**
     * Drops the segments from {@code from} on (deleted, or only closed when read-only): the torn tail a
     * roll left unsynced. Returns the bytes they held.
     */
    private long cut(TreeMap<Long, SegmentFile> segments, Long from) throws IOException {
        long bytes = 0;
        if (from == null) {
            return 0;
        }
        for (Long key : new ArrayList<>(segments.tailMap(from, true).keySet())) {
            SegmentFile seg = segments.remove(key);
            bytes += seg.fileSize();
            if (readOnly) {
                seg.close();
            } else {
                seg.delete();
            }
        }
        if (!readOnly) {
            AtomicFile.fsyncDirectory(dir);
        }
        return bytes;
    }

    private TreeMap<Long, SegmentFile> openSegments() throws IOException {
        TreeMap<Long, Path> paths = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SegmentName.SUFFIX)) {
            for (Path p : ds) {
                OptionalLong first = SegmentName.parse(p);
                if (first.isPresent()) {
                    paths.put(first.getAsLong(), p);
                }
            }
        }
        TreeMap<Long, SegmentFile> segments = new TreeMap<>();
        try {
            for (Map.Entry<Long, Path> e : paths.entrySet()) {
                // All writable: when a torn empty last segment is dropped, the one before becomes active.
                segments.put(e.getKey(), SegmentFile.open(e.getValue(), Lsn.of(e.getKey()), !readOnly));
            }
        } catch (IOException e) {
            for (SegmentFile s : segments.values()) {
                s.close();
            }
            throw e;
        }
        return segments;
    }

    /** Deletes index files without a segment, and the retired whole-journal checkpoint. */
    private void deleteStaleIndexes(TreeMap<Long, SegmentFile> segments) throws IOException {
        Files.deleteIfExists(dir.resolve(SegmentIndexFile.RETIRED_CHECKPOINT));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SegmentIndexFile.SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                OptionalLong first = SegmentName.parse(p.resolveSibling(
                        n.substring(0, n.length() - SegmentIndexFile.SUFFIX.length()) + SegmentName.SUFFIX));
                if (first.isEmpty() || !segments.containsKey(first.getAsLong())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void deleteTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkContinuity(SegmentFile seg, long first, long expected) {
        if (first > expected) {
            throw missing(expected, seg);
        }
        if (first < expected) {
            throw new JournalException(JournalError.CORRUPT_SEGMENT, "segment " + seg.name() + " starts at LSN "
                    + first + " but the previous segment already reaches LSN " + (expected - 1),
                    "segments overlap: the directory was assembled from two copies; restore it from one copy");
        }
    }

    private static JournalException missing(long expected, SegmentFile found) {
        return new JournalException(JournalError.MISSING_SEGMENT, "a segment is missing: LSN " + expected
                + " is in no segment; the next one, " + found.name() + ", starts at LSN " + found.firstLsn().value(),
                "restore the missing segment file from a copy; the journal cannot serve points after LSN " + (expected - 1));
    }
}
