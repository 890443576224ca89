package org.boomerang.stream;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * Stable error codes of the replication wire; the names travel in {@code Refusal.code} frames and
 * appear in logs and CLI output, so a constant is never renamed.
 */
public enum StreamError implements ErrorCode {
    /** A frame broke the protocol: a batch before the hello, a record without a change, bad write data. */
    MALFORMED_FRAME(ErrorType.USER_ERROR),
    /** Records inside one batch do not have strictly consecutive LSNs. */
    OUT_OF_ORDER(ErrorType.USER_ERROR),
    /** A batch starts after the receiver's last accepted LSN + 1: records are missing. */
    LSN_GAP(ErrorType.PRECONDITION),
    /** A batch names another disk than the stream's hello, or the receiver does not serve that disk. */
    WRONG_DISK(ErrorType.PRECONDITION),
    /** The sender's generation (lineage) differs from the replica's: the pair needs a resync. */
    WRONG_GENERATION(ErrorType.PRECONDITION),
    /**
     * The sender's fencing epoch is below the master target's epoch of the disk: another source took the
     * disk over (a failover view was opened on its replica, or the reverse direction started). The sender
     * stops; its writes stay in its dirty map.
     */
    FENCED(ErrorType.CONFLICT),
    /** The hello's disk size or block size differs from the replica's. */
    WRONG_GEOMETRY(ErrorType.PRECONDITION),
    /** The peer's certificate was refused (another CA, expired, not yet valid) or it presented none. */
    PEER_CERTIFICATE_REFUSED(ErrorType.FORBIDDEN),
    /** A certificate or key file is missing or unreadable. */
    BAD_CERTIFICATE_FILE(ErrorType.USER_ERROR),
    /** The next hop of a disk (the master target behind a process server) cannot be reached yet. */
    NEXT_HOP_UNAVAILABLE(ErrorType.EXTERNAL),
    /** Reading or writing the receiver's storage failed; nothing of the batch was acknowledged. */
    STORAGE_FAILED(ErrorType.EXTERNAL),
    /** A private key file that others than its owner may read or write (not 0600, or 0400); the role refuses to start with it. */
    PRIVATE_KEY_TOO_OPEN(ErrorType.USER_ERROR),
    /** A digest request names a range outside the disk, a block size out of range or a bad region width. */
    BAD_DIGEST_REQUEST(ErrorType.USER_ERROR),
    /** A digest server could not be reached or ended a call without an answer. */
    DIGESTS_UNAVAILABLE(ErrorType.EXTERNAL);

    private final ErrorType type;

    StreamError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
