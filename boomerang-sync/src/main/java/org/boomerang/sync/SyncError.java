package org.boomerang.sync;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the resync engine. */
public enum SyncError implements ErrorCode {
    /** Source and target differ in size. */
    SYNC_SIZE_MISMATCH(ErrorType.USER_ERROR),
    /** The target cannot be written (a read-only export or file). */
    SYNC_TARGET_READ_ONLY(ErrorType.USER_ERROR),
    /** Tracked mode was asked for without any change map. */
    SYNC_TRACKED_NO_CHANGE_MAPS(ErrorType.USER_ERROR),
    /** A change map named for tracked mode does not exist (e.g. lost in a crash). */
    SYNC_TRACKED_MAP_MISSING(ErrorType.PRECONDITION),
    /** A change map failed its checksum or does not parse. */
    SYNC_TRACKED_MAP_DAMAGED(ErrorType.PRECONDITION),
    /** The change maps do not describe the same disk lineage (generation ids differ). */
    SYNC_TRACKED_GENERATION_MISMATCH(ErrorType.PRECONDITION),
    /** A change map describes a disk of another size or another block size than the others. */
    SYNC_TRACKED_GEOMETRY_MISMATCH(ErrorType.PRECONDITION),
    /** Verify found blocks that differ between source and target. */
    SYNC_VERIFY_FOUND_DIFFERENCES(ErrorType.CORRUPTION),
    /** An option of the sync is out of range. */
    SYNC_BAD_OPTION(ErrorType.USER_ERROR),
    /** Reading or writing one of the disks failed. */
    SYNC_IO_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    SyncError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
