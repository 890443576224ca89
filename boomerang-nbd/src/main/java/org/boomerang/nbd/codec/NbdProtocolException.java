package org.boomerang.nbd.codec;

import org.boomerang.common.BoomerangException;

/** A peer broke the NBD protocol in a way that ends the connection (bad magic, truncated frame, bad flags). */
public class NbdProtocolException extends BoomerangException {
    public NbdProtocolException(NbdError code, String message, String hint) {
        super(code, message, hint);
    }

    @Override
    public NbdError code() {
        return (NbdError) super.code();
    }
}
