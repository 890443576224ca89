package org.boomerang.control.job;

/** What a running step may use: its job, its request id, the job log, progress, and a pause for an operator. */
public interface StepContext {
    Job job();

    /** Stable across replays of this step. */
    RequestId requestId();

    void log(String message);

    void progress(int percent, long bytesDone, long bytesTotal);

    /**
     * Records a line in the step's durable record while it runs (e.g. the process group of a
     * script), so that a replay after a crash can find what this run left behind.
     */
    void note(String detail);

    /** The note an interrupted earlier run of this step recorded; empty on a first run. */
    java.util.Optional<String> interruptedNote();

    /**
     * Pauses the job until an operator resumes it (a manual action in a recovery plan). Never
     * returns: the step is recorded as WAITING and, once resumed, counts as done.
     */
    void waitForOperator(String instruction);

    /** The lease this step runs under; its epoch goes with the step's data-plane calls. */
    JobLease lease();

    /**
     * Throws {@code LEASE_LOST} when this server no longer holds the job's lease (on the database's
     * clock); a long step calls it before each effect. {@link #log}, {@link #progress} and {@link #note}
     * check it too.
     */
    void checkLease();
}
