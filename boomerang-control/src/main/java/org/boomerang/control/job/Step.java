package org.boomerang.control.job;

/**
 * One idempotent step of a job. {@link #run} may be called again after a control-server restart
 * with the same request id ({@link StepContext#requestId()}); it must then reach the same outcome
 * without a second effect. {@link #compensate} undoes it; it is registered (the step is recorded as
 * started) before {@code run} acts, and must itself be idempotent and tolerate a run that never
 * happened or only half happened (Temporal's saga rule).
 */
public interface Step {
    String name();

    void run(StepContext context);

    /** Undoes {@link #run}; the default does nothing (a step with no lasting effect). */
    default void compensate(StepContext context) {}
}
