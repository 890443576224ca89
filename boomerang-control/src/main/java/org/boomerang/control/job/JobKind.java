package org.boomerang.control.job;

/** What a job does; decides which {@link JobHandler} runs it and how its request is stored. Persisted by {@link #id()}. */
public enum JobKind {
    ITEM_OPERATION(1),
    PLAN_OPERATION(2);

    private final int id;

    JobKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static JobKind fromId(int id) {
        for (JobKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown job kind id " + id);
    }
}
