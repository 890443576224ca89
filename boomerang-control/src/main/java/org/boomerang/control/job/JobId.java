package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** The identity of a job. */
public record JobId(String value) {
    public JobId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("job id must not be blank");
        }
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID().toString());
    }

    /** A deterministic id derived from a parent job and a key: replaying the parent finds the same child. */
    public static JobId derived(JobId parent, String key) {
        return new JobId(UUID.nameUUIDFromBytes((parent.value + "/" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
