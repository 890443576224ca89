package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

/** How far a job is: percent, the current step's name, and bytes where known (0 when unknown). */
public record JobProgress(int percent, String step, long bytesDone, long bytesTotal) {
    public static final JobProgress NONE = new JobProgress(0, "", 0, 0);

    public JobProgress {
        requireNonNull(step, "step is null");
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent out of range: " + percent);
        }
    }
}
