package org.boomerang.control.job;

/**
 * The state of a job. Persisted by {@link #id()}.
 *
 * <pre>
 *  QUEUED ─lease─▶ RUNNING ─all steps done─▶ SUCCEEDED
 *                  RUNNING ─manual step─▶ WAITING_FOR_OPERATOR ─resume─▶ QUEUED
 *                  RUNNING ─step fails─▶ (compensate) ─▶ FAILED ─restart─▶ (a new job)
 *  QUEUED | RUNNING | WAITING_FOR_OPERATOR ─cancel─▶ CANCELLING ─(compensate)─▶ CANCELLED
 *  RUNNING, lease expired (server died) ─lease─▶ RUNNING (resumed: done steps are skipped)
 * </pre>
 */
public enum JobState {
    QUEUED(1),
    RUNNING(2),
    WAITING_FOR_OPERATOR(3),
    CANCELLING(4),
    SUCCEEDED(5),
    FAILED(6),
    CANCELLED(7);

    private final int id;

    JobState(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean isTerminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED -> true;
            case QUEUED, RUNNING, WAITING_FOR_OPERATOR, CANCELLING -> false;
        };
    }

    public static JobState fromId(int id) {
        for (JobState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job state id " + id);
    }
}
