package org.boomerang.nbd.codec;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the NBD codec and server. */
public enum NbdError implements ErrorCode {
    /** A request or option did not start with the protocol's magic number; the connection is dropped. */
    BAD_MAGIC(ErrorType.USER_ERROR),
    /** The client sent handshake flags this server does not know; the protocol requires a disconnect. */
    BAD_CLIENT_FLAGS(ErrorType.USER_ERROR),
    /** The peer closed the connection in the middle of a frame. */
    TRUNCATED_FRAME(ErrorType.USER_ERROR),
    /** The client asked for an export name (NBD_OPT_EXPORT_NAME) that this server does not have. */
    UNKNOWN_EXPORT(ErrorType.NOT_FOUND),
    /** The server was configured with two exports of the same name, or none, or a bad name. */
    BAD_EXPORT_CONFIG(ErrorType.USER_ERROR),
    /** A {@code --export NAME=FILE[:ro]} argument could not be parsed. */
    BAD_EXPORT_SPEC(ErrorType.USER_ERROR),
    /** The server could not listen on the requested address and port. */
    BIND_FAILED(ErrorType.EXTERNAL),
    /** A client did not finish the handshake within the server's limit; the connection is dropped. */
    HANDSHAKE_TIMEOUT(ErrorType.USER_ERROR),
    /** The TCP congestion control asked for ({@code --tcp-congestion}) is malformed or cannot be set here. */
    TCP_CONGESTION(ErrorType.USER_ERROR),
    /**
     * The export was removed from the running server: a connection to it is closed once the requests in hand
     * are answered (later ones get ESHUTDOWN), and a swap or second removal of it is refused.
     */
    EXPORT_REMOVED(ErrorType.NOT_FOUND);

    private final ErrorType type;

    NbdError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
