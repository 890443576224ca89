package org.boomerang.dataplane.site;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the embedded data plane ({@link EmbeddedDataPlane}); the names appear in job logs and the API. */
public enum SiteError implements ErrorCode {
    /** A site the configuration does not name. */
    SITE_NOT_FOUND(ErrorType.USER_ERROR),
    /** A disk that is neither an image the data plane was given nor the disk of a view. */
    DISK_NOT_FOUND(ErrorType.USER_ERROR),
    /** A master target a pair names that is not a machine of the pair's target site. */
    MASTER_TARGET_NOT_FOUND(ErrorType.USER_ERROR),
    /** A pair that was never started, or whose journals are gone. */
    PAIR_NOT_FOUND(ErrorType.USER_ERROR),
    /** A sync of a pair that is not replicating. */
    PAIR_NOT_RUNNING(ErrorType.USER_ERROR),
    /** A recovery point the pair's journals do not all hold. */
    POINT_NOT_FOUND(ErrorType.USER_ERROR),
    /** A view that was never opened or was closed. */
    VIEW_NOT_FOUND(ErrorType.USER_ERROR),
    /**
     * A call of a job made under a lease epoch below one this data plane already admitted for the same
     * job: the calling control server lost the job's lease to another one and must stop.
     */
    STALE_JOB_LEASE(ErrorType.CONFLICT),
    /** A disk, journal or state file could not be read or written (disk full, permissions, a failed fsync). */
    IO_FAILED(ErrorType.EXTERNAL),
    /** An initial copy that did not finish in time (a retry may succeed). */
    SYNC_TIMED_OUT(ErrorType.EXTERNAL),
    /** A master target or process server run as a child process did not start (or start again) and listen. */
    ROLE_PROCESS_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    SiteError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
