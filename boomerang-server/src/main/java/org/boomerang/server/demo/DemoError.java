package org.boomerang.server.demo;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors of {@code boomerang demo} and its checks. */
public enum DemoError implements ErrorCode {
    /** A tool the check needs (e2fsck, debugfs from e2fsprogs) is not installed. */
    DEMO_TOOL_MISSING(ErrorType.EXTERNAL),
    /** A tool the check runs failed to run or did not finish. */
    DEMO_TOOL_FAILED(ErrorType.EXTERNAL),
    /** The demo's data folder holds something that is not a demo's: it is neither used nor reset. */
    DEMO_FOLDER_NOT_DEMO(ErrorType.PRECONDITION);

    private final ErrorType type;

    DemoError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
