package org.boomerang.stream;

import org.boomerang.common.BoomerangException;

/**
 * A refusal or failure of the replication wire, with its {@link StreamError} code and a hint; a
 * {@link StreamError#FENCED} refusal also carries the receiver's fencing epoch of the disk.
 */
public final class StreamException extends BoomerangException {
    private final long receiverEpoch;

    public StreamException(StreamError code, String message, String hint) {
        this(code, message, hint, 0, null);
    }

    public StreamException(StreamError code, String message, String hint, Throwable cause) {
        this(code, message, hint, 0, cause);
    }

    private StreamException(StreamError code, String message, String hint, long receiverEpoch, Throwable cause) {
        super(code, message, hint, cause);
        this.receiverEpoch = receiverEpoch;
    }

    /** A {@link StreamError#FENCED} refusal: the receiver holds the disk at {@code receiverEpoch}. */
    public static StreamException fenced(long receiverEpoch, String message, String hint) {
        return new StreamException(StreamError.FENCED, message, hint, receiverEpoch, null);
    }

    @Override
    public StreamError code() {
        return (StreamError) super.code();
    }

    /** The receiver's fencing epoch of the disk when this is a {@link StreamError#FENCED} refusal; 0 otherwise. */
    public long receiverEpoch() {
        return receiverEpoch;
    }
}
