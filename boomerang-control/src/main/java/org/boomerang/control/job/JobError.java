package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;

/**
 * The error a job ended with: the stable code, its category, the message and what to do next. The
 * category is kept with the code (not looked up again by name) so that an error from any module —
 * the data plane's, the wiring's, a newer module's — reports its own HTTP status and exit code.
 *
 * @param category never null once read; a job document stored before categories were persisted reads
 *     as {@link ErrorType#INTERNAL}, what such errors were reported as then
 */
public record JobError(String code, ErrorType category, String message, String hint) {
    public JobError {
        requireNonNull(code, "code is null");
        category = category == null ? ErrorType.INTERNAL : category;
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }

    public static JobError of(BoomerangException e) {
        return new JobError(e.code().name(), e.type(), e.getMessage(), e.hint());
    }
}
