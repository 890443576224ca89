package org.boomerang.dataplane.capture;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the agent's change capture; the names appear in logs, status and CLI output. */
public enum CaptureError implements ErrorCode {
    /** A capture option is out of range (queue size, extent size, bounds). */
    BAD_OPTIONS(ErrorType.USER_ERROR),
    /** The state directory belongs to another disk, disk size or extent size. */
    STATE_MISMATCH(ErrorType.PRECONDITION),
    /** The capture state or the dirty map failed its checksum, magic or geometry check. */
    STATE_DAMAGED(ErrorType.CORRUPTION),
    /** Another capture (in this process or another) has the state directory open. */
    IN_USE(ErrorType.PRECONDITION),
    /**
     * Persisting the dirty map or the capture state failed (a failed fsync is final): the capture
     * refuses every later write, because it can no longer promise that a write is tracked.
     */
    CAPTURE_FAILED(ErrorType.EXTERNAL),
    /** The receiver claims an LSN this disk's lineage never issued: the replica needs a full resync. */
    RECEIVER_AHEAD(ErrorType.PRECONDITION),
    /** The receiver lost changes it had acknowledged as durable at the target: the replica needs a resync. */
    RECEIVER_BEHIND(ErrorType.PRECONDITION),
    /** {@code poll} before the first {@code resume}: the feed does not know where the receiver stands. */
    NOT_RESUMED(ErrorType.PRECONDITION),
    /** A write barrier could not drain the writes in flight within its timeout; the cut was aborted. */
    BARRIER_TIMEOUT(ErrorType.EXTERNAL),
    /** A group cut could not be taken (a member's barrier or marker failed); no member got a group point. */
    GROUP_CUT_ABORTED(ErrorType.EXTERNAL),
    /** The capture was closed. */
    CLOSED(ErrorType.PRECONDITION);

    private final ErrorType type;

    CaptureError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
