package org.boomerang.sync;

import org.boomerang.common.BoomerangException;

/** A refused or failed sync, with its stable code and what to do next. */
public class SyncException extends BoomerangException {
    public SyncException(SyncError code, String message, String hint) {
        super(code, message, hint);
    }

    public SyncException(SyncError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public SyncError code() {
        return (SyncError) super.code();
    }
}
