package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.BoomerangException;

/** The error a job ended with: the stable code, the message and what to do next. */
public record JobError(String code, String message, String hint) {
    public JobError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }

    public static JobError of(BoomerangException e) {
        return new JobError(e.code().name(), e.getMessage(), e.hint());
    }
}
