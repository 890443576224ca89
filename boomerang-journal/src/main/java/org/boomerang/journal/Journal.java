package org.boomerang.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RecoveryReport;
import org.boomerang.journal.recovery.RetentionPolicy;

/**
 * The replica journal of one disk (SPEC §2.3): a base image plus append-only records, recovery points,
 * retention, and point-in-time views of any retained LSN.
 *
 * <p>Contract: appends return their LSN at once; an LSN is durable — and may be acknowledged to a
 * sender — only after {@link #awaitDurable} or {@link #sync} returned for it (group commit). Only
 * durable LSNs are offered as points: {@link #points()}, {@code latest} and {@link #resolve} never name
 * a record that a crash could take. Every durable LSN from {@link #baseLsn()} on is a point, except
 * those inside an inconsistent window.
 *
 * <p><b>Appends from a stream.</b> A change stream carries a journal's records one to one
 * ({@link JournalRecordSpec}: a write of at most {@code SegmentFormat.MAX_PAYLOAD} bytes, trim, zero,
 * marker, window open, window close). {@link #appendAt} appends a record at the LSN the sender gave it:
 * a resend of a record the journal already holds is recognised and skipped
 * ({@link AppendOutcome#DUPLICATE}), an LSN past the next one is refused with {@code LSN_GAP}, a
 * different record at a taken LSN with {@code LSN_CONFLICT}; so a stream that reconnects and resends can
 * never write A B A B.
 *
 * <p><b>Inconsistent windows.</b> A catch-up from a dirty map copies blocks in block order, not in the
 * order the source wrote them: the disk passes through states the source never had.
 * {@link #appendWindowOpen} and {@link #appendWindowClose} bracket such records; no LSN in
 * {@code [open, close]} is offered as a point ({@link #points()}, {@code latest} and {@link #resolve}
 * skip them, {@code lsn:N} inside is refused with {@code INCONSISTENT_POINT}). Windows do not nest: a window
 * open that {@link #appendAt} receives while a window is open (the sender's catch-up started again after
 * a restart or a reconnect, before it closed the window) continues the open window to the next close.
 *
 * <p><b>Read-only.</b> {@link #openReadOnly} lets a second process read a journal that another one is
 * writing (no lock, no file changed): it sees the durable part as of its open.
 *
 * <p><b>Base.</b> The base image is the journal's own {@code base.img}, or an existing disk taken as it
 * is ({@code SegmentedJournal.createOnDisk}: the reverse journal of an original-location recovery).
 *
 * <p><b>Failures.</b> A failed fsync is final: the journal refuses every later append and sync with
 * {@code FSYNC_FAILED}, and nothing after the last durable LSN is acknowledged; reopening recovers.
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

    /**
     * Opens the journal in {@code dir} read-only, also while another process has it open for writing:
     * the durable part as of now, no file changed, appends and retention refused with {@code READ_ONLY}.
     */
    static Journal openReadOnly(Path dir) throws IOException {
        return SegmentedJournal.openReadOnly(dir, JournalOptions.defaults());
    }

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

    /**
     * Appends {@code record} at exactly LSN {@code expected} (idempotent, for a stream). Returns
     * {@link AppendOutcome#APPENDED}, or {@link AppendOutcome#DUPLICATE} when the journal already holds
     * this very record at that LSN (nothing written). Refuses with {@code LSN_GAP} when {@code expected}
     * is past the next LSN ({@link #lastLsn()} + 1), and with {@code LSN_CONFLICT} when a different record
     * is at {@code expected}. As with every append, durable only after {@link #awaitDurable}.
     */
    AppendOutcome appendAt(Lsn expected, JournalRecordSpec record) throws IOException;

    /**
     * Opens an inconsistent window with a reason (e.g. "catch-up from dirty map"); returns its LSN. Refused
     * with {@code BAD_REQUEST} while a window is open ({@link #appendAt} continues the open window instead).
     */
    Lsn appendWindowOpen(String reason) throws IOException;

    /** Closes the open inconsistent window; returns its LSN. Refused with {@code BAD_REQUEST} when none is open. */
    Lsn appendWindowClose() throws IOException;

    /** Retained inconsistent windows, oldest first (the last may still be open). */
    List<InconsistentWindow> windows();

    /** Returns once every record up to {@code lsn} is durable. */
    void awaitDurable(Lsn lsn) throws IOException;

    /** Makes every record appended so far durable; returns the durable LSN. */
    Lsn sync() throws IOException;

    /** Retained, durable recovery points (markers not thinned, outside inconsistent windows), oldest first. */
    List<RecoveryPoint> points();

    /** Resolves an operator's point name to a retained, durable, consistent LSN. */
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

    /**
     * Runs retention now, never moving the base past {@code limit} (nor past an open view): the caller keeps
     * every point after it, e.g. the newest point of a machine whose disks each have a journal.
     */
    RetentionReport applyRetention(RetentionPolicy policy, Lsn limit) throws IOException;

    /** Checks the checksum of every retained record; throws {@code CORRUPT_RECORD} at the first bad one. */
    long verify() throws IOException;

    @Override
    void close() throws IOException;

    /** What one retention run did. */
    record RetentionReport(Lsn oldBase, Lsn newBase, int segmentsDeleted, int pointsThinned) {}
}
