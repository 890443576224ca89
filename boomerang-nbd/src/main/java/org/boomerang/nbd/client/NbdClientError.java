package org.boomerang.nbd.client;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the NBD client. */
public enum NbdClientError implements ErrorCode {
    /** The {@code nbd://} URI cannot be parsed. */
    NBD_CLIENT_BAD_URI(ErrorType.USER_ERROR),
    /** No TCP connection to the server. */
    NBD_CLIENT_CONNECT_FAILED(ErrorType.EXTERNAL),
    /** The server does not speak the fixed newstyle handshake, or broke it. */
    NBD_CLIENT_HANDSHAKE_FAILED(ErrorType.EXTERNAL),
    /** The server has no export of that name. */
    NBD_CLIENT_EXPORT_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The server answered a request with an error. */
    NBD_CLIENT_REQUEST_FAILED(ErrorType.EXTERNAL),
    /** The connection was lost or closed while requests were in flight. */
    NBD_CLIENT_DISCONNECTED(ErrorType.EXTERNAL),
    /** A write to an export the server marked read-only. */
    NBD_CLIENT_READ_ONLY(ErrorType.USER_ERROR);

    private final ErrorType type;

    NbdClientError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
