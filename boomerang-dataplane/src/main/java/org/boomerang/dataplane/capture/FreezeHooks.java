package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The commands around an application-consistent point: {@code preFreeze} quiesces the application (flush
 * and freeze, e.g. {@code fsfreeze -f /data} or a database's backup mode), {@code postThaw} releases it.
 * Each is an argument vector run without a shell, bounded by {@code timeout}.
 */
public record FreezeHooks(List<String> preFreeze, List<String> postThaw, Duration timeout) {
    public FreezeHooks {
        preFreeze = List.copyOf(requireNonNull(preFreeze, "preFreeze is null"));
        postThaw = List.copyOf(requireNonNull(postThaw, "postThaw is null"));
        requireNonNull(timeout, "timeout is null");
        if (preFreeze.isEmpty()) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "the pre-freeze command is empty",
                    "give the command that quiesces the application, e.g. [fsfreeze, -f, /data]");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "hook timeout " + timeout + " is not positive",
                    "give a positive timeout such as 30s");
        }
    }
}
