package org.boomerang.stream;

import org.boomerang.common.BoomerangException;

/** A refusal or failure of the replication wire, with its {@link StreamError} code and a hint. */
public final class StreamException extends BoomerangException {
    public StreamException(StreamError code, String message, String hint) {
        super(code, message, hint);
    }

    public StreamException(StreamError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public StreamError code() {
        return (StreamError) super.code();
    }
}
