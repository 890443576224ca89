package org.boomerang.dataplane.capture;

import org.boomerang.common.BoomerangException;

/** A refused or failed capture operation, with a stable {@link CaptureError} code and a hint. */
public class CaptureException extends BoomerangException {
    public CaptureException(CaptureError code, String message, String hint) {
        super(code, message, hint);
    }

    public CaptureException(CaptureError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public CaptureError code() {
        return (CaptureError) super.code();
    }
}
