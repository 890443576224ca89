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
    /** The request line, URI or headers cannot be read (e.g. {@code %00} or a bad escape in the path): HTTP 400. */
    API_MALFORMED_REQUEST(ErrorType.USER_ERROR),
    /** The path exists but not with this method: HTTP 405. */
    API_METHOD_NOT_ALLOWED(ErrorType.USER_ERROR, 405),
    /** The body is larger than the server's limit: HTTP 413. */
    API_PAYLOAD_TOO_LARGE(ErrorType.USER_ERROR, 413),
    /** The request URI is longer than the server accepts: HTTP 414. */
    API_URI_TOO_LONG(ErrorType.USER_ERROR, 414),
    /** The request headers are larger than the server accepts: HTTP 431. */
    API_HEADERS_TOO_LARGE(ErrorType.USER_ERROR, 431),
    /** An id in the path or body does not follow the id grammar ({@code IdGrammar}). */
    API_INVALID_ID(ErrorType.USER_ERROR),
    /** The API's address and port are taken by another process: the server does not start. */
    API_PORT_IN_USE(ErrorType.CONFLICT),
    /** A bug: an exception that is not a {@code BoomerangException} reached the API. */
    API_INTERNAL(ErrorType.INTERNAL);

    private final ErrorType type;
    private final int httpStatus;

    ApiErrorCode(ErrorType type) {
        this(type, type.httpStatus());
    }

    ApiErrorCode(ErrorType type, int httpStatus) {
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /**
     * The HTTP status of this code: its category's, except where HTTP has a more precise one (401
     * for a missing credential, 405, 413, 414, 431); the category still decides the CLI exit code.
     */
    public int httpStatus() {
        return this == API_UNAUTHENTICATED ? 401 : httpStatus;
    }

    /** The code Jetty's own refusal with this status is answered with. */
    public static ApiErrorCode forHttpStatus(int status) {
        return switch (status) {
            case 401 -> API_UNAUTHENTICATED;
            case 404 -> API_ROUTE_NOT_FOUND;
            case 405 -> API_METHOD_NOT_ALLOWED;
            case 413 -> API_PAYLOAD_TOO_LARGE;
            case 414 -> API_URI_TOO_LONG;
            case 431 -> API_HEADERS_TOO_LARGE;
            default -> status >= 500 ? API_INTERNAL : API_MALFORMED_REQUEST;
        };
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
