package org.boomerang.nbd.client;

import org.boomerang.common.BoomerangException;

/** A failed NBD client operation, with its stable code and what to do next. */
public class NbdClientException extends BoomerangException {
    public NbdClientException(NbdClientError code, String message, String hint) {
        super(code, message, hint);
    }

    public NbdClientException(NbdClientError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public NbdClientError code() {
        return (NbdClientError) super.code();
    }
}
