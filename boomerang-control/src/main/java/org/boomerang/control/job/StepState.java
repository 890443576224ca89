package org.boomerang.control.job;

/**
 * The state of one durable step. A step is written STARTED before it acts: from then on its
 * compensation is registered, and a resume replays it with the same request id. Persisted by {@link #id()}.
 *
 * <pre>
 *  STARTED ─ok─▶ DONE ─(job fails or is cancelled)─▶ COMPENSATED
 *  STARTED ─manual action─▶ WAITING ─operator resumes─▶ DONE
 *  STARTED ─fails─▶ FAILED ─▶ COMPENSATED
 * </pre>
 */
public enum StepState {
    STARTED(1),
    DONE(2),
    WAITING(3),
    FAILED(4),
    COMPENSATED(5);

    private final int id;

    StepState(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static StepState fromId(int id) {
        for (StepState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown step state id " + id);
    }
}
