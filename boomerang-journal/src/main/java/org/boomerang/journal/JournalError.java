package org.boomerang.journal;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the replica journal; the names appear in CLI output and API errors. */
public enum JournalError implements ErrorCode {
    /** The directory holds no journal (no identity stamp). */
    NOT_A_JOURNAL(ErrorType.NOT_FOUND),
    /** The directory already holds a journal and creation was asked. */
    ALREADY_EXISTS(ErrorType.PRECONDITION),
    /** The identity stamp names another disk, size, block size or generation than the caller expects. */
    IDENTITY_MISMATCH(ErrorType.PRECONDITION),
    /** The identity stamp itself failed its checksum or magic. */
    IDENTITY_DAMAGED(ErrorType.CORRUPTION),
    /** A record failed its checksum or framing and valid records follow it: never applied. */
    CORRUPT_RECORD(ErrorType.CORRUPTION),
    /** A segment is missing between two others, or the first one starts after the base. */
    MISSING_SEGMENT(ErrorType.CORRUPTION),
    /** A segment header failed its checksum or magic. */
    CORRUPT_SEGMENT(ErrorType.CORRUPTION),
    /** The existing disk that is the journal's base ({@code base.ref}) is missing or cannot be opened. */
    BASE_UNAVAILABLE(ErrorType.EXTERNAL),
    /** A metadata file (base state, thinning list) failed its checksum. */
    CORRUPT_METADATA(ErrorType.CORRUPTION),
    /** The named recovery point does not exist or is no longer retained. */
    POINT_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The point name is not one of latest, latest-processed, latest-app-consistent, an id or lsn:N. */
    BAD_POINT_NAME(ErrorType.USER_ERROR),
    /** A record request lies outside the disk or is malformed. */
    BAD_REQUEST(ErrorType.USER_ERROR),
    /**
     * An append at an expected LSN ({@code Journal.appendAt}) named an LSN after the journal's next one:
     * records in between are missing. Resend from the journal's next LSN.
     */
    LSN_GAP(ErrorType.PRECONDITION),
    /** An append at an expected LSN found a different record already at that LSN: the sender's history diverged. */
    LSN_CONFLICT(ErrorType.CONFLICT),
    /** The named LSN lies inside an inconsistent window (a catch-up in block order): it shows no real state of the disk. */
    INCONSISTENT_POINT(ErrorType.PRECONDITION),
    /** A write was asked of a journal opened read-only. */
    READ_ONLY(ErrorType.PRECONDITION),
    /** An fsync of the journal or a view failed once: the files are in an unknown state and nothing more is acknowledged. */
    FSYNC_FAILED(ErrorType.EXTERNAL),
    /** An overlay directory belongs to another journal or point. */
    OVERLAY_MISMATCH(ErrorType.PRECONDITION),
    /** Another process (or another open in this one) has the journal open. */
    IN_USE(ErrorType.PRECONDITION),
    /** The journal was closed. */
    CLOSED(ErrorType.PRECONDITION),
    /** Reading or writing journal files failed. */
    IO_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    JournalError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
