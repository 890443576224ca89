package org.boomerang.api;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** The stable error codes of the REST API itself (the control server's own codes pass through). */
public enum ApiErrorCode implements ErrorCode {
    /** No {@code Authorization: Bearer} header, or a token the server does not know: HTTP 401. */
    API_UNAUTHENTICATED(ErrorType.FORBIDDEN),
    /** The token is valid but its role is below the route's role: HTTP 403. */
    API_ROLE_TOO_LOW(ErrorType.FORBIDDEN),
    /** The body is not JSON, or not the JSON object the route expects. */
    API_MALFORMED_PAYLOAD(ErrorType.USER_ERROR),
    /** The body has a field the route does not know. */
    API_UNKNOWN_FIELD(ErrorType.USER_ERROR),
    /** The body lacks a field the route needs, or sends it as null. */
    API_MISSING_FIELD(ErrorType.USER_ERROR),
    /** A field, path or query parameter has a value of the wrong type or outside its range. */
    API_INVALID_VALUE(ErrorType.USER_ERROR),
    /** An event-stream route was called without {@code Accept: text/event-stream}. */
    API_EVENT_STREAM_NOT_ACCEPTED(ErrorType.USER_ERROR),
    /** No route has this method and path. */
    API_ROUTE_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The API token file is damaged; the server refuses to guess which tokens are valid. */
    API_TOKEN_FILE_CORRUPT(ErrorType.CORRUPTION),
    /** The token file could not be read or written. */
    API_TOKEN_FILE_IO(ErrorType.EXTERNAL),
    /** No token with this id. */
    API_TOKEN_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The API's address and port are taken by another process: the server does not start. */
    API_PORT_IN_USE(ErrorType.CONFLICT),
    /** A bug: an exception that is not a {@code BoomerangException} reached the API. */
    API_INTERNAL(ErrorType.INTERNAL);

    private final ErrorType type;

    ApiErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
