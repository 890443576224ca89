package org.boomerang.nbd.codec;

/** An option's payload does not match its grammar; the server answers NBD_REP_ERR_INVALID and goes on. */
public final class MalformedOptionException extends Exception {
    public MalformedOptionException(String message) {
        super(message);
    }
}
