package org.boomerang.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.Lsn;
import org.boomerang.journal.recovery.RecoveryReport;
import org.boomerang.journal.recovery.RetentionPolicy;

/**
 * The replica journal of one disk (SPEC §2.3): a base image plus append-only records, recovery points,
 * retention, and point-in-time views of any retained LSN.
 *
 * <p>Contract: appends return their LSN at once; an LSN is durable — and may be acknowledged to a
 * sender — only after {@link #awaitDurable} or {@link #sync} returned for it (group commit). Every LSN
 * from {@link #baseLsn()} to {@link #lastLsn()} is a valid point.
 *
 * <p>Thread-safety: implementations are safe for concurrent appends, syncs and views.
 */
public interface Journal extends AutoCloseable {
    Path directory();

    /** The disk this journal belongs to and its generation (lineage) UUID. */
    JournalIdentity identity();

    /** The LSN the base image holds: the oldest retained point. */
    Lsn baseLsn();

    /** The newest appended LSN (durable or not). */
    Lsn lastLsn();

    /** The newest LSN known durable. */
    Lsn durableLsn();

    /** What recovery found when this journal was opened. */
    RecoveryReport recoveryReport();

    /** Appends the data at {@code offset}; writes larger than one record are split. Returns the last LSN used. */
    Lsn appendWrite(long offset, ByteBuffer data) throws IOException;

    Lsn appendTrim(long offset, long length) throws IOException;

    Lsn appendZero(long offset, long length) throws IOException;

    /** Appends a marker with a fresh point id and the clock's time; returns the new point. */
    RecoveryPoint appendMarker(MarkerKind kind, String groupId, String tag) throws IOException;

    /** Appends a marker with a given id and time (a marker relayed from the agent). */
    RecoveryPoint appendMarker(Marker marker) throws IOException;

    /** Returns once every record up to {@code lsn} is durable. */
    void awaitDurable(Lsn lsn) throws IOException;

    /** Makes every record appended so far durable; returns the durable LSN. */
    Lsn sync() throws IOException;

    /** Retained recovery points (markers not thinned), oldest first. */
    List<RecoveryPoint> points();

    /** Resolves an operator's point name to a retained LSN. */
    Lsn resolve(PointName name);

    /** A read-only view of the disk at {@code at}; close it when done. */
    PointInTimeView openView(Lsn at) throws IOException;

    /**
     * A writable disk over the view at {@code at}: writes land in an overlay in {@code overlayDir}
     * (created when absent, reopened when it belongs to this journal and point), never in the journal.
     */
    WritableView openWritable(Lsn at, Path overlayDir) throws IOException;

    /**
     * The byte ranges that records with LSN greater than {@code after} wrote, trimmed or zeroed, sorted
     * and merged. {@code after} must be at or after the base LSN (older changes are in the base image and
     * no longer known one by one).
     */
    List<ByteRange> changedSince(Lsn after);

    /** {@link #changedSince} as a change map with this journal's generation as its generation id. */
    ChangeMap changeMapSince(Lsn after, int blockSize);

    /** Runs retention now: applies expired records to the base image, deletes their segments, thins points. */
    RetentionReport applyRetention(RetentionPolicy policy) throws IOException;

    /** Checks the checksum of every retained record; throws {@code CORRUPT_RECORD} at the first bad one. */
    long verify() throws IOException;

    @Override
    void close() throws IOException;

    /** What one retention run did. */
    record RetentionReport(Lsn oldBase, Lsn newBase, int segmentsDeleted, int pointsThinned) {}
}
