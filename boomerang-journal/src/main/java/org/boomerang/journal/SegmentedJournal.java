package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.BaseReference;
import org.boomerang.journal.recovery.BaseState;
import org.boomerang.journal.recovery.IdentityStamp;
import org.boomerang.journal.recovery.JournalRecovery;
import org.boomerang.journal.recovery.RecoveryReport;
import org.boomerang.journal.recovery.Retention;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.journal.recovery.ThinnedPoints;
import org.boomerang.journal.segment.DurableMark;
import org.boomerang.journal.segment.RecordRange;
import org.boomerang.journal.segment.RecordRef;
import org.boomerang.journal.segment.SegmentFile;
import org.boomerang.journal.segment.SegmentFormat;
import org.boomerang.journal.segment.SegmentIndexFile;

/**
 * The {@link Journal} kept as a directory of segment files (the layout is in docs/formats.md):
 * <pre>
 * identity        the identity stamp ({@link IdentityStamp})
 * base.img        the base image: the disk at the base LSN (sparse raw file)
 * base.ref        instead of base.img: the existing disk that is the base ({@link BaseReference})
 * base.state      the base LSN and any retention in progress ({@link BaseState})
 * NNN…NNN.seg     segments named by their first LSN ({@link SegmentFormat})
 * NNN…NNN.idx     the index of each sealed segment ({@link SegmentIndexFile}), a cache that speeds up
 *                 reopening; written off the append path when a segment is sealed, and at close
 * thinned.lsns    markers thinned by retention ({@link ThinnedPoints})
 * durable.mark    the durability watermark ({@link DurableMark}): what is known fsynced
 * lock            locked (fcntl) while the journal is open for writing, so that a second writer never
 *                 recovers (and truncates) a journal that is being written
 * </pre>
 *
 * <p>A journal opened with {@link #openReadOnly} takes no lock and changes no file: it sees the records
 * up to the durability watermark when it was opened (a snapshot of the durable part) and refuses appends
 * and retention with {@code READ_ONLY}.
 *
 * <p>Thread-safety: safe for concurrent use. Appends are ordered by the writer's lock; views read
 * without blocking appends; retention runs one at a time and never deletes a segment an open view reads.
 * Ownership: owns every file handle of the directory; {@link #close()} releases them.
 */
public final class SegmentedJournal implements Journal {
    public static final String BASE_IMAGE = "base.img";
    static final String LOCK_FILE = "lock";

    private final Path dir;
    private final JournalOptions options;
    private final JournalIdentity identity;
    private final RawFileBlockDevice base;
    private final ConcurrentSkipListMap<Long, SegmentFile> segments;
    private final RecordCatalog catalog;
    /**
     * The extent map of the newest state, built on first use ({@link #liveMap}) so that opening a journal
     * never replays its records: a master target that only appends never builds it. Set and applied to
     * under the append lock.
     */
    private volatile ExtentMap live;
    private final JournalWriter writer;
    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private final ReentrantLock retentionLock = new ReentrantLock();
    private final Map<PointInTimeView, Boolean> openViews = new ConcurrentHashMap<>();
    private final RecoveryReport report;
    private final DirectoryLock lock;
    private final boolean readOnly;
    /** The oldest LSN offered as a point: the base, or a retention target the writing process is applying. */
    private final Lsn floor;
    private volatile TreeSet<Long> thinned;
    /** Writes the index file of each sealed segment ({@link SegmentIndexFile}), one at a time, off the append path. */
    private final ExecutorService indexer;
    private volatile boolean closed;

    private SegmentedJournal(Path dir, JournalOptions options, JournalRecovery.State state, RawFileBlockDevice base,
            RecoveryReport report, DirectoryLock lock, DurableMark mark, Lsn floor) throws IOException {
        this.dir = dir;
        this.lock = lock;
        this.readOnly = mark == null;
        this.floor = floor;
        this.options = options;
        this.identity = state.identity();
        this.base = base;
        this.segments = new ConcurrentSkipListMap<>(state.segments());
        this.report = report;
        this.catalog = new RecordCatalog(state.base().baseLsn(), segments);
        catalog.adoptThrough(state.base().baseLsn().value() + state.records().size());
        this.thinned = ThinnedPoints.read(dir);
        this.indexer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-index " + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        SegmentFile active = segments.isEmpty() ? null : segments.lastEntry().getValue();
        this.writer = new JournalWriter(dir, identity.generation(), options.segmentBytes(), active, catalog.lastLsn(), mark,
                new JournalWriter.Listener() {
                    @Override
                    public void appended(RecordRef ref) {
                        catalog.add(ref);
                        ExtentMap map = live;
                        if (map != null) {
                            map.apply(ref);
                        }
                    }

                    @Override
                    public void rolled(SegmentFile next) {
                        segments.put(next.firstLsn().value(), next);
                    }

                    @Override
                    public void sealed(SegmentFile segment) {
                        try {
                            // Off the append path: the sealed segment's index costs one segment, never the journal.
                            indexer.execute(() -> indexSealed(segment));
                        } catch (java.util.concurrent.RejectedExecutionException closing) {
                            // Closed meanwhile: the index is a cache; the next open scans the segment instead.
                        }
                    }
                });
    }

    /** True when {@code dir} holds a journal (an identity stamp). */
    public static boolean exists(Path dir) {
        return IdentityStamp.exists(dir);
    }

    /** Creates a journal for a new disk in {@code dir} (created when absent; must not hold a journal). */
    public static SegmentedJournal create(Path dir, JournalIdentity identity, JournalOptions options) throws IOException {
        requireNonNull(identity, "identity is null");
        Files.createDirectories(dir);
        if (exists(dir)) {
            throw new JournalException(JournalError.ALREADY_EXISTS, dir + " already holds a journal",
                    "open it instead, or choose an empty directory for a new disk");
        }
        // Leftovers of a creation that crashed before the identity stamp (always written last).
        Files.deleteIfExists(dir.resolve(BASE_IMAGE));
        Files.deleteIfExists(dir.resolve(BaseReference.FILE_NAME));
        RawFileBlockDevice.create(dir.resolve(BASE_IMAGE), identity.diskSize()).close();
        new BaseState(Lsn.NONE, 0).write(dir);
        DurableMark.create(dir, identity.generation(), Lsn.NONE.value());
        IdentityStamp.write(dir, identity);
        return open(dir, identity, options);
    }

    /**
     * Creates a journal whose base is the existing disk {@code disk} (an image file or block device) as
     * it is, without copying it: the reverse journal of an original-location recovery. The disk's size
     * must equal {@code identity}'s; the journal owns the disk from now on (retention writes expired
     * records into it), so nothing else may write it.
     */
    public static SegmentedJournal createOnDisk(Path dir, JournalIdentity identity, Path disk, JournalOptions options)
            throws IOException {
        requireNonNull(identity, "identity is null");
        requireNonNull(disk, "disk is null");
        Files.createDirectories(dir);
        if (exists(dir)) {
            throw new JournalException(JournalError.ALREADY_EXISTS, dir + " already holds a journal",
                    "open it instead, or choose an empty directory for a new disk");
        }
        try (RawFileBlockDevice d = RawFileBlockDevice.open(disk, false)) {
            if (d.size() != identity.diskSize()) {
                throw new JournalException(JournalError.IDENTITY_MISMATCH, "disk " + disk + " is " + d.size()
                        + " bytes, the journal is for " + identity.diskSize(), "give the identity the disk's size");
            }
        }
        Files.deleteIfExists(dir.resolve(BASE_IMAGE));
        new BaseReference(disk.toAbsolutePath(), identity.diskSize()).write(dir);
        new BaseState(Lsn.NONE, 0).write(dir);
        DurableMark.create(dir, identity.generation(), Lsn.NONE.value());
        IdentityStamp.write(dir, identity);
        return open(dir, identity, options);
    }

    /** The base disk of the journal in {@code dir}: {@code base.img}, or the existing disk {@code base.ref} names. */
    private static Path basePath(Path dir) throws IOException {
        BaseReference ref = BaseReference.read(dir);
        if (ref == null) {
            return dir.resolve(BASE_IMAGE);
        }
        if (!Files.exists(ref.disk())) {
            throw new JournalException(JournalError.BASE_UNAVAILABLE, "the base disk " + ref.disk() + " of the journal in "
                    + dir + " is missing", "attach the disk at that path again (the journal's base is that disk as it is)");
        }
        return ref.disk();
    }

    /** Opens and recovers the journal in {@code dir}, whatever disk it belongs to. */
    public static SegmentedJournal open(Path dir, JournalOptions options) throws IOException {
        return open(dir, null, options);
    }

    /** Opens and recovers the journal in {@code dir}; {@code expected} (nullable) must match its identity stamp. */
    public static SegmentedJournal open(Path dir, JournalIdentity expected, JournalOptions options) throws IOException {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        if (!IdentityStamp.exists(dir)) {
            IdentityStamp.read(dir); // throws NOT_A_JOURNAL with the hint
        }
        DirectoryLock lock = DirectoryLock.acquire(dir.resolve(LOCK_FILE));
        JournalRecovery.State state;
        try {
            state = new JournalRecovery(dir, false).recover(expected);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        RawFileBlockDevice base = null;
        DurableMark mark = null;
        try {
            Path basePath = basePath(dir);
            base = RawFileBlockDevice.open(basePath, false);
            if (base.size() != state.identity().diskSize()) {
                throw new JournalException(JournalError.IDENTITY_MISMATCH, "base image " + basePath
                        + " is " + base.size() + " bytes but the identity stamp says " + state.identity().diskSize(),
                        "the base image was replaced; restore the journal directory from a copy");
            }
            RecoveryReport report = state.report();
            if (state.base().applying()) {
                long through = state.base().applyingThrough();
                if (report.lastLsn().value() < through) {
                    throw new JournalException(JournalError.MISSING_SEGMENT, "retention was applying records through LSN "
                            + through + " but the journal ends at LSN " + report.lastLsn().value(),
                            "restore the journal directory from a copy");
                }
                List<RecordRef> pending = new RecordRange(state.segments(), state.base().baseLsn().value(), through);
                Retention.apply(dir, base, state.base().baseLsn(), Lsn.of(through), pending);
                state = new JournalRecovery.State(state.identity(), new BaseState(Lsn.of(through), 0), state.segments(),
                        new RecordRange(state.segments(), through, report.lastLsn().value()), report, state.mark());
                report = new RecoveryReport(Lsn.of(through), report.lastLsn(), report.segments(), report.checkpointUsed(),
                        report.recordsScanned(), report.truncatedBytes(), report.tornSegment(), report.tornPosition(),
                        report.tornReason(), true);
            }
            mark = DurableMark.openForWriting(dir, state.identity().generation(), state.mark());
            SegmentedJournal journal = new SegmentedJournal(dir, options, state, base, report, lock, mark,
                    state.base().baseLsn());
            journal.deleteAppliedSegments();
            return journal;
        } catch (IOException | RuntimeException e) {
            if (mark != null) {
                mark.close();
            }
            if (base != null) {
                base.close();
            }
            for (SegmentFile s : state.segments().values()) {
                s.close();
            }
            lock.close();
            throw e;
        }
    }

    /** How many times a read-only open retries when the writer's retention moves the base meanwhile. */
    private static final int READ_ONLY_ATTEMPTS = 5;

    /**
     * Opens the journal in {@code dir} read-only, whether or not another process (or this one) has it
     * open for writing: no lock, no recovery that changes a file. It shows the durable part as of now —
     * records up to the durability watermark — and refuses appends and retention with {@code READ_ONLY}.
     * Points the writer's retention folds into the base image after this open may read newer bytes; the
     * base and later points stay exact.
     */
    public static SegmentedJournal openReadOnly(Path dir, JournalOptions options) throws IOException {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        if (!IdentityStamp.exists(dir)) {
            IdentityStamp.read(dir); // throws NOT_A_JOURNAL with the hint
        }
        for (int attempt = 1; ; attempt++) {
            BaseState before = BaseState.read(dir);
            JournalRecovery.State state;
            try {
                state = new JournalRecovery(dir, true).recover(null);
            } catch (JournalException e) {
                if (attempt < READ_ONLY_ATTEMPTS && e.code() == JournalError.MISSING_SEGMENT
                        && !BaseState.read(dir).equals(before)) {
                    continue; // the writer's retention deleted segments while we listed them
                }
                throw e;
            }
            if (!BaseState.read(dir).equals(before) && attempt < READ_ONLY_ATTEMPTS) {
                for (SegmentFile s : state.segments().values()) {
                    s.close();
                }
                continue;
            }
            RawFileBlockDevice base = null;
            try {
                base = RawFileBlockDevice.open(basePath(dir), true);
                // While retention applies (base, through], base.img holds a mix: offer points from `through` on.
                Lsn floor = state.base().applying() ? Lsn.of(state.base().applyingThrough()) : state.base().baseLsn();
                if (floor.compareTo(state.report().lastLsn()) > 0) {
                    throw new JournalException(JournalError.MISSING_SEGMENT, "retention is applying records through LSN "
                            + floor.value() + " but the durable part ends at LSN " + state.report().lastLsn().value(),
                            "open it again in a moment, or restore the journal directory from a copy");
                }
                return new SegmentedJournal(dir, options, state, base, state.report(), null, null, floor);
            } catch (IOException | RuntimeException e) {
                if (base != null) {
                    base.close();
                }
                for (SegmentFile s : state.segments().values()) {
                    s.close();
                }
                throw e;
            }
        }
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public JournalIdentity identity() {
        return identity;
    }

    @Override
    public Lsn baseLsn() {
        return catalog.baseLsn();
    }

    @Override
    public Lsn lastLsn() {
        return catalog.lastLsn();
    }

    @Override
    public Lsn durableLsn() {
        return writer.durableLsn();
    }

    @Override
    public RecoveryReport recoveryReport() {
        return report;
    }

    @Override
    public Lsn appendWrite(long offset, ByteBuffer data) throws IOException {
        checkRange(offset, data.remaining());
        if (!data.hasRemaining()) {
            throw new JournalException(JournalError.BAD_REQUEST, "a write needs at least one byte", "send data");
        }
        ByteBuffer rest = data.duplicate();
        long pos = offset;
        RecordRef last = null;
        while (rest.hasRemaining()) {
            int n = Math.min(rest.remaining(), SegmentFormat.MAX_PAYLOAD);
            ByteBuffer part = rest.slice(rest.position(), n);
            last = writer.appendWrite(pos, part);
            rest.position(rest.position() + n);
            pos += n;
        }
        data.position(data.limit());
        return Lsn.of(last.lsn());
    }

    @Override
    public Lsn appendTrim(long offset, long length) throws IOException {
        return appendRange(RecordKind.TRIM, offset, length);
    }

    @Override
    public Lsn appendZero(long offset, long length) throws IOException {
        return appendRange(RecordKind.ZERO, offset, length);
    }

    private Lsn appendRange(RecordKind kind, long offset, long length) throws IOException {
        checkRange(offset, length);
        if (length == 0) {
            throw new JournalException(JournalError.BAD_REQUEST, "a " + kind + " needs a positive length", "send a range");
        }
        return Lsn.of(writer.appendRange(kind, offset, length).lsn());
    }

    @Override
    public AppendOutcome appendAt(Lsn expected, JournalRecordSpec record) throws IOException {
        requireNonNull(expected, "expected is null");
        JournalWriter.Encoder encoder = encoder(record, true);
        if (writer.appendAt(expected.value(), encoder) != null) {
            return AppendOutcome.APPENDED;
        }
        segmentsLock.readLock().lock();
        try {
            RecordRef held;
            try {
                held = expected.compareTo(catalog.baseLsn()) <= 0 ? null : catalog.get(expected.value());
            } catch (IllegalArgumentException dropped) {
                held = null; // retention folded it into the base image meanwhile
            }
            if (held == null || held.segment().holds(held, encode(expected.value(), record))) {
                return AppendOutcome.DUPLICATE;
            }
            throw new JournalException(JournalError.LSN_CONFLICT, "the journal in " + dir + " holds a different "
                    + held.kind() + " record at LSN " + expected.value() + " than the one resent",
                    "the sender's history diverged from this journal: stop the stream and resynchronise the disk");
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    @Override
    public Lsn appendWindowOpen(String reason) throws IOException {
        return Lsn.of(writer.append(encoder(new JournalRecordSpec.WindowOpen(reason), false)).lsn());
    }

    @Override
    public Lsn appendWindowClose() throws IOException {
        return Lsn.of(writer.append(encoder(new JournalRecordSpec.WindowClose(), false)).lsn());
    }

    @Override
    public List<InconsistentWindow> windows() {
        return catalog.windows();
    }

    /**
     * Checks {@code spec} and returns how to write it (window state is checked under the append lock).
     *
     * @param continueWindow a window open while one is open continues that one instead of being refused:
     *     a sender's record ({@link #appendAt}) whose catch-up started again (after a restart or a
     *     reconnect) before it closed the window it had opened
     */
    private JournalWriter.Encoder encoder(JournalRecordSpec spec, boolean continueWindow) {
        return switch (spec) {
            case JournalRecordSpec.Write w -> {
                int n = w.data().remaining();
                checkRange(w.offset(), n);
                if (n == 0 || n > SegmentFormat.MAX_PAYLOAD) {
                    throw new JournalException(JournalError.BAD_REQUEST, "a write record holds 1 to "
                            + SegmentFormat.MAX_PAYLOAD + " bytes, not " + n, "split the write into records");
                }
                ByteBuffer data = w.data().duplicate();
                yield (seg, lsn) -> seg.appendWrite(lsn, w.offset(), data);
            }
            case JournalRecordSpec.Trim t -> rangeEncoder(RecordKind.TRIM, t.offset(), t.length());
            case JournalRecordSpec.Zero z -> rangeEncoder(RecordKind.ZERO, z.offset(), z.length());
            case JournalRecordSpec.MarkerRecord m -> (seg, lsn) -> seg.appendMarker(lsn, m.marker());
            case JournalRecordSpec.WindowOpen o -> {
                if (o.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Marker.MAX_TEXT_BYTES) {
                    throw new JournalException(JournalError.BAD_REQUEST, "a window reason holds at most "
                            + Marker.MAX_TEXT_BYTES + " bytes of UTF-8", "shorten the reason");
                }
                yield (seg, lsn) -> {
                    InconsistentWindow open = catalog.openWindow();
                    if (open != null && !continueWindow) {
                        throw new JournalException(JournalError.BAD_REQUEST, "an inconsistent window is already open"
                                + " since lsn:" + open.open().value() + " (" + open.reason() + ")",
                                "close it before opening another; windows do not nest");
                    }
                    return seg.appendWindow(lsn, o.reason());
                };
            }
            case JournalRecordSpec.WindowClose c -> (seg, lsn) -> {
                if (catalog.openWindow() == null) {
                    throw new JournalException(JournalError.BAD_REQUEST, "no inconsistent window is open in " + dir,
                            "open one before closing it");
                }
                return seg.appendWindow(lsn, null);
            };
        };
    }

    private JournalWriter.Encoder rangeEncoder(RecordKind kind, long offset, long length) {
        checkRange(offset, length);
        if (length == 0) {
            throw new JournalException(JournalError.BAD_REQUEST, "a " + kind + " needs a positive length", "send a range");
        }
        return (seg, lsn) -> seg.appendRange(kind, lsn, offset, length);
    }

    /** The bytes {@code spec} has as a record at {@code lsn} (what a resend is compared with). */
    private static ByteBuffer[] encode(long lsn, JournalRecordSpec spec) {
        return switch (spec) {
            case JournalRecordSpec.Write w -> new ByteBuffer[] {
                    SegmentFormat.encodeWriteHeader(lsn, w.offset(), w.data()), w.data().duplicate()};
            case JournalRecordSpec.Trim t -> new ByteBuffer[] {SegmentFormat.encodeRange(RecordKind.TRIM, lsn, t.offset(), t.length())};
            case JournalRecordSpec.Zero z -> new ByteBuffer[] {SegmentFormat.encodeRange(RecordKind.ZERO, lsn, z.offset(), z.length())};
            case JournalRecordSpec.MarkerRecord m -> new ByteBuffer[] {SegmentFormat.encodeMarker(lsn, m.marker())};
            case JournalRecordSpec.WindowOpen o -> new ByteBuffer[] {SegmentFormat.encodeWindow(lsn, o.reason())};
            case JournalRecordSpec.WindowClose c -> new ByteBuffer[] {SegmentFormat.encodeWindow(lsn, null)};
        };
    }

    @Override
    public RecoveryPoint appendMarker(MarkerKind kind, String groupId, String tag) throws IOException {
        return appendMarker(new Marker(kind, UUID.randomUUID().toString(), options.clock().now(), groupId, tag));
    }

    @Override
    public RecoveryPoint appendMarker(Marker marker) throws IOException {
        RecordRef ref = writer.appendMarker(marker);
        return new RecoveryPoint(Lsn.of(ref.lsn()), marker);
    }

    @Override
    public void awaitDurable(Lsn lsn) throws IOException {
        writer.awaitDurable(lsn.value());
    }

    @Override
    public Lsn sync() throws IOException {
        return writer.sync();
    }

    @Override
    public List<RecoveryPoint> points() {
        Set<Long> skip = thinned;
        long from = floor.value();
        return catalog.points(writer.durableLsn().value()).stream()
                .filter(p -> !skip.contains(p.lsn().value()) && p.lsn().value() >= from).toList();
    }

    @Override
    public Lsn resolve(PointName name) {
        Lsn durable = writer.durableLsn();
        Lsn latest = catalog.latestConsistent(durable.value());
        if (latest != null && latest.compareTo(floor) < 0) {
            latest = null;
        }
        Lsn from = floor.compareTo(catalog.baseLsn()) > 0 ? floor : catalog.baseLsn();
        return new PointResolver(from, durable, latest, points(), thinned, catalog.windows()).resolve(name);
    }

    @Override
    public PointInTimeView openView(Lsn at) throws IOException {
        checkOpen();
        retentionLock.lock();
        try {
            Lsn from = catalog.baseLsn();
            Lsn last = catalog.lastLsn();
            if (at.compareTo(floor.compareTo(from) > 0 ? floor : from) < 0 || at.compareTo(last) > 0) {
                throw new JournalException(JournalError.POINT_NOT_FOUND, at + " is not retained (the journal holds "
                        + from + " to " + last + ")", "list the points with 'boomerang journal points'");
            }
            // The live map shares its leaves (copy on write): a view at the newest LSN costs almost nothing.
            ExtentMap map = liveMap().copy();
            long applied = map.appliedThrough();
            if (applied > at.value() || applied < from.value()) {
                map = new ExtentMap();
                applied = from.value();
            }
            for (RecordRef ref : catalog.range(applied, at.value())) {
                map.apply(ref);
            }
            PointInTimeView[] self = new PointInTimeView[1];
            self[0] = new PointInTimeView(map, this::locator, base, at, from, identity.blockSize(), segmentsLock.readLock(),
                    () -> openViews.remove(self[0]));
            openViews.put(self[0], Boolean.TRUE);
            return self[0];
        } finally {
            retentionLock.unlock();
        }
    }

    /**
     * A device over the newest state, updated as records are appended: what {@code journal record} reads.
     * Retention keeps working while it is open.
     */
    PointInTimeView liveView() {
        return new PointInTimeView(liveMap(), this::locator, base, catalog.lastLsn(), catalog.baseLsn(), identity.blockSize(),
                segmentsLock.readLock(), () -> { });
    }

    /**
     * The live extent map, built on first use: the records up to the newest LSN are replayed from the
     * segment tables while appends go on, then, with appends paused, only those appended meanwhile, and
     * the map is installed. Retention waits (it holds the retention lock) so that the base does not move
     * under the replay.
     */
    private ExtentMap liveMap() {
        ExtentMap map = live;
        if (map != null) {
            return map;
        }
        retentionLock.lock();
        try {
            if (live != null) {
                return live;
            }
            long from = catalog.baseLsn().value();
            long built = catalog.lastLsn().value();
            ExtentMap fresh = new ExtentMap();
            for (SegmentFile segment : segments.values()) {
                fresh.applyAll(segment.records(), from, built);
            }
            writer.underAppendLock(() -> {
                long last = catalog.lastLsn().value();
                for (SegmentFile segment : segments.values()) {
                    fresh.applyAll(segment.records(), built, last);
                }
                fresh.appliedThrough(last);
                live = fresh;
            });
            return fresh;
        } finally {
            retentionLock.unlock();
        }
    }

    /** Waits until the next segment roll can run without an fsync (a spare is prepared): for tests. */
    void awaitRollReady() throws IOException {
        writer.awaitSpare();
    }

    /**
     * Waits until the indexer has written the index files of every segment sealed so far (for tests: the
     * indexer runs tasks in order, so a no-op queued now finishes after them).
     */
    void awaitIndexesWritten() throws IOException {
        try {
            indexer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the segment indexer of " + dir);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("the segment indexer of " + dir + " failed", e.getCause());
        }
    }

    /** The locator of the record at {@code lsn}, from its segment (which retention keeps while a view reads it). */
    private RecordRef locator(long lsn) {
        return RecordRange.ref(segments, lsn);
    }

    @Override
    public WritableView openWritable(Lsn at, Path overlayDir) throws IOException {
        PointInTimeView view = openView(at);
        try {
            return WritableView.open(view, overlayDir, identity);
        } catch (IOException | RuntimeException e) {
            view.close();
            throw e;
        }
    }

    @Override
    public List<ByteRange> changedSince(Lsn after) {
        Lsn from = catalog.baseLsn();
        if (after.compareTo(from) < 0) {
            throw new JournalException(JournalError.POINT_NOT_FOUND, "changes since " + after + " are not known: the journal"
                    + " keeps records after " + from + " only", "use a point at or after " + from + ", or run a delta sync");
        }
        List<ByteRange> ranges = new ArrayList<>();
        for (RecordRef r : catalog.range(after.value(), Long.MAX_VALUE)) {
            if (r.kind().changesData() && r.length() > 0) {
                ranges.add(new ByteRange(r.offset(), r.length()));
            }
        }
        ranges.sort(Comparator.comparingLong(ByteRange::offset));
        List<ByteRange> merged = new ArrayList<>();
        for (ByteRange r : ranges) {
            ByteRange prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && r.offset() <= prev.end()) {
                merged.set(merged.size() - 1, new ByteRange(prev.offset(), Math.max(prev.end(), r.end()) - prev.offset()));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    @Override
    public ChangeMap changeMapSince(Lsn after, int blockSize) {
        ChangeMap map = new ChangeMap(identity.diskSize(), blockSize, identity.generation());
        for (ByteRange r : changedSince(after)) {
            map.mark(r.offset(), r.length());
        }
        return map;
    }

    @Override
    public RetentionReport applyRetention(RetentionPolicy policy) throws IOException {
        return applyRetention(policy, Lsn.of(Long.MAX_VALUE));
    }

    @Override
    public RetentionReport applyRetention(RetentionPolicy policy, Lsn max) throws IOException {
        checkOpen();
        checkWritable();
        retentionLock.lock();
        try {
            Lsn oldBase = catalog.baseLsn();
            long limit = Math.min(catalog.lastLsn().value(), max.value());
            for (PointInTimeView v : openViews.keySet()) {
                limit = Math.min(limit, v.lsn().value());
            }
            TreeSet<Long> before = thinned;
            Retention.Plan plan = Retention.plan(policy, catalog.points(writer.durableLsn().value()), before, oldBase,
                    Lsn.of(limit),
                    options.clock().now());
            Lsn target = plan.applyThrough();
            if (target.compareTo(oldBase) > 0) {
                writer.awaitDurable(target.value());
                try {
                    Retention.apply(dir, base, oldBase, target, catalog.range(oldBase.value(), target.value()));
                } catch (IOException e) {
                    writer.poison(e); // the base image is in an unknown state: reopening finishes the run
                    throw e;
                }
                // The live map without the records now in the base, prepared on a copy while appends go on;
                // with appends paused only the records appended meanwhile are applied to it.
                ExtentMap current = live;
                ExtentMap trimmed = current == null ? null : current.copy();
                long copied = trimmed == null ? 0 : trimmed.appliedThrough();
                if (trimmed != null) {
                    trimmed.dropThrough(target.value());
                }
                writer.whilePaused(() -> {
                    catalog.dropThrough(target);
                    if (trimmed != null) {
                        long last = catalog.lastLsn().value();
                        for (SegmentFile segment : segments.values()) {
                            trimmed.applyAll(segment.records(), copied, last);
                        }
                        trimmed.appliedThrough(last);
                        current.replaceWith(trimmed);
                    }
                });
            }
            TreeSet<Long> after = new TreeSet<>(plan.thinned());
            after.removeIf(l -> l <= target.value());
            int newlyThinned = (int) after.stream().filter(l -> !before.contains(l)).count();
            if (!after.equals(before)) {
                ThinnedPoints.write(dir, after);
                thinned = after;
            }
            int deleted = deleteAppliedSegments();
            return new RetentionReport(oldBase, catalog.baseLsn(), deleted, newlyThinned);
        } finally {
            retentionLock.unlock();
        }
    }

    /** Deletes segments whose every record is in the base image and that no open view still reads. */
    private int deleteAppliedSegments() throws IOException {
        long keepAfter = catalog.baseLsn().value();
        for (PointInTimeView v : openViews.keySet()) {
            keepAfter = Math.min(keepAfter, v.builtFrom().value());
        }
        List<SegmentFile> doomed = new ArrayList<>();
        Map.Entry<Long, SegmentFile> prev = null;
        for (Map.Entry<Long, SegmentFile> e : segments.entrySet()) {
            if (prev != null && e.getKey() - 1 <= keepAfter) {
                doomed.add(prev.getValue());
            }
            prev = e;
        }
        if (doomed.isEmpty()) {
            return 0;
        }
        segmentsLock.writeLock().lock();
        try {
            for (SegmentFile s : doomed) {
                segments.remove(s.firstLsn().value());
                s.delete();
            }
            AtomicFile.fsyncDirectory(dir);
        } finally {
            segmentsLock.writeLock().unlock();
        }
        return doomed.size();
    }

    @Override
    public long verify() throws IOException {
        long n = 0;
        segmentsLock.readLock().lock();
        try {
            for (RecordRef r : catalog.range(catalog.baseLsn().value(), Long.MAX_VALUE)) {
                r.segment().verify(r);
                n++;
            }
        } finally {
            segmentsLock.readLock().unlock();
        }
        return n;
    }

    /**
     * Writes the index file of {@code segment}, which is sealed (its records are durable and it takes no
     * more). Runs on the indexer thread, or at close. A segment retention deleted (or is deleting) is
     * skipped. A failure poisons the writer, as any failed write of the journal's files does.
     */
    private void indexSealed(SegmentFile segment) {
        long first = segment.firstLsn().value();
        segmentsLock.readLock().lock();
        try {
            if (segments.get(first) != segment) {
                return;
            }
            Map.Entry<Long, SegmentFile> next = segments.higherEntry(first);
            long through = next == null ? catalog.lastLsn().value() : next.getKey() - 1;
            List<RecordRef> records = catalog.range(first - 1, through);
            if (records.isEmpty() || records.get(0).lsn() != first) {
                return; // retention already dropped its first records: the segment is about to be deleted
            }
            SegmentIndexFile.write(dir, identity.generation(), segment, segment.size(), records);
        } catch (IOException e) {
            writer.poison(e);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!readOnly) {
                writer.sync();
            }
        } finally {
            try {
                writer.close();
                indexer.shutdown();
                awaitIndexer();
                SegmentFile active = segments.isEmpty() ? null : segments.lastEntry().getValue();
                if (!readOnly && active != null && writer.sealedCleanly()) {
                    indexSealed(active);
                }
            } finally {
                for (SegmentFile s : segments.values()) {
                    s.close();
                }
                base.close();
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }

    private void awaitIndexer() throws IOException {
        try {
            if (!indexer.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IOException("the segment indexer of " + dir + " did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the segment indexer of " + dir + " finished");
        }
    }

    @Override
    public String toString() {
        return "SegmentedJournal[" + dir + " " + identity.diskId() + " " + catalog.baseLsn() + ".." + catalog.lastLsn() + "]";
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > identity.diskSize() - length) {
            throw new JournalException(JournalError.BAD_REQUEST, "range offset=" + offset + " length=" + length
                    + " is outside the disk of " + identity.diskSize() + " bytes", "keep requests within the disk");
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new JournalException(JournalError.READ_ONLY, "the journal in " + dir + " was opened read-only",
                    "run this where the journal is open for writing");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new JournalException(JournalError.CLOSED, "the journal in " + dir + " is closed", "open it again");
        }
    }
}
