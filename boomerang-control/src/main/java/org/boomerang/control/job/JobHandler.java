package org.boomerang.control.job;

import java.util.List;
import org.boomerang.common.BoomerangException;

/**
 * Turns a job of one {@link JobKind} into steps and applies its outcome. {@link #steps} must build
 * the same list from the same job every time (steps are matched to their records by index).
 */
public interface JobHandler {
    List<Step> steps(Job job);

    /** All steps done. A handler whose steps already applied everything leaves this as it is. */
    default void succeeded(Job job) {}

    /** A step failed and the done steps were compensated. Nothing more to apply by default. */
    default void failed(Job job, BoomerangException error) {}

    /** Cancelled and compensated. Nothing more to apply by default. */
    default void cancelled(Job job) {}

    /** Whether this job may be cancelled now. */
    boolean cancellable(Job job);

    /** Starts a new job that repeats a failed or cancelled one; returns the new job's id. */
    JobId restart(Job failed);
}
