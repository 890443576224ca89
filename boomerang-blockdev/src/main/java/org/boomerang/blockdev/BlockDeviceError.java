package org.boomerang.blockdev;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of block devices. */
public enum BlockDeviceError implements ErrorCode {
    OUT_OF_RANGE(ErrorType.USER_ERROR),
    READ_ONLY(ErrorType.USER_ERROR),
    NOT_FOUND(ErrorType.NOT_FOUND),
    BAD_SIZE(ErrorType.USER_ERROR),
    CHANGE_MAP_DAMAGED(ErrorType.CORRUPTION),
    IO_FAILED(ErrorType.EXTERNAL),
    /**
     * An fsync of the device failed: what was written since the last successful flush may be lost (the
     * kernel may have dropped the pages, so a retry could "succeed" without them). Final: the device refuses
     * every later write, trim, zeroing and flush until it is reopened and its data checked.
     */
    FSYNC_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    BlockDeviceError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
