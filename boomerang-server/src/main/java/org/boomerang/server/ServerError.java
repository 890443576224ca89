package org.boomerang.server;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors of the control server process itself: its data folder and its start. */
public enum ServerError implements ErrorCode {
    /** Another control server runs on this data folder (it holds the folder's lock file). */
    DATA_FOLDER_IN_USE(ErrorType.CONFLICT),
    /** The data folder or its lock file cannot be created or locked. */
    DATA_FOLDER_UNUSABLE(ErrorType.EXTERNAL);

    private final ErrorType type;

    ServerError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
