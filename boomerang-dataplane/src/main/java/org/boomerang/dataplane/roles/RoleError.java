package org.boomerang.dataplane.roles;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the data-plane roles' start-up; the names appear in CLI output and logs. */
public enum RoleError implements ErrorCode {
    /** A config file is missing, unparsable, or a key is missing, unknown or has a bad value. */
    BAD_CONFIG(ErrorType.USER_ERROR),
    /** A role could not start: a port in use, a data directory it cannot use. */
    START_FAILED(ErrorType.EXTERNAL),
    /** A master target's fencing epoch file is damaged; the disk's streams are refused until it is restored. */
    FENCING_STATE_DAMAGED(ErrorType.CORRUPTION);

    private final ErrorType type;

    RoleError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
