package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.boomerang.api.dto.ApiError;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;
import org.boomerang.common.IoError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into the API's error response: the HTTP status of the error's
 * {@link ErrorType} and an {@link ApiError} body. The one exception to "status = category" is
 * {@link ApiErrorCode#API_UNAUTHENTICATED}, which answers 401 (with {@code WWW-Authenticate}) so
 * that HTTP clients know to send credentials; its category, and so the CLI's exit code, stays
 * {@link ErrorType#FORBIDDEN}. An {@code IllegalArgumentException} (a record refusing a value) is a
 * {@code 400 API_INVALID_VALUE}. An {@code IOException} among the causes is {@code 502 IO_FAILED}
 * naming what failed ({@link IoError}). Any other non-Boomerang exception is a bug: logged with its stack trace,
 * answered as {@code API_INTERNAL} without internals. Thread-safe.
 */
public final class ErrorRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);
    private final ErrorDetails details;

    public ErrorRenderer(ErrorDetails details) {
        this.details = requireNonNull(details, "details is null");
    }

    /** A status and a body. */
    public record Rendered(int status, ApiError body) {}

    public Rendered render(Throwable failure) {
        BoomerangException be = unwrap(failure);
        if (be == null && failure instanceof IllegalArgumentException iae) {
            // Records and ids refuse bad values with IllegalArgumentException at the API boundary.
            be = new BoomerangException(ApiErrorCode.API_INVALID_VALUE, String.valueOf(iae.getMessage()),
                    "correct the value; /openapi.json describes the fields");
        }
        if (be == null) {
            // A raw I/O failure (a file, disk or peer) is not a bug: it says what failed, retryable.
            be = IoError.of(failure).orElse(null);
            if (be != null) {
                LOG.warn("I/O failure in an API handler: {}", be.getMessage(), failure);
            }
        }
        if (be == null) {
            LOG.error("unexpected failure in an API handler (a bug)", failure);
            be = new BoomerangException(ApiErrorCode.API_INTERNAL, "the server failed unexpectedly",
                    "this is a bug; the server log has the details — please report it");
        }
        Optional<ErrorDetails.StateFacts> facts = be instanceof StateRefusal r
                ? Optional.of(new ErrorDetails.StateFacts(r.state(), r.allowedActions()))
                : details.of(be);
        ApiError body = new ApiError(be.code().name(), be.type(), be.getMessage(), be.hint(),
                facts.map(ErrorDetails.StateFacts::state).orElse(null),
                facts.map(ErrorDetails.StateFacts::allowedActions).orElse(List.of()));
        return new Rendered(statusOf(be), body);
    }

    static int statusOf(BoomerangException e) {
        if (e.code() instanceof ApiErrorCode api) {
            return api.httpStatus();
        }
        return e.type().httpStatus();
    }

    private static BoomerangException unwrap(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 8; depth++) {
            if (c instanceof BoomerangException be) {
                return be;
            }
            c = c.getCause();
        }
        return null;
    }
}
