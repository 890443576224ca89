package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;

/** The handler of each {@link JobKind}; filled once at wiring time, then read-only. */
public final class JobHandlers {
    private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);

    public synchronized void register(JobKind kind, JobHandler handler) {
        handlers.put(requireNonNull(kind, "kind is null"), requireNonNull(handler, "handler is null"));
    }

    public synchronized JobHandler of(JobKind kind) {
        JobHandler h = handlers.get(kind);
        if (h == null) {
            throw new IllegalStateException("no handler registered for job kind " + kind);
        }
        return h;
    }
}
