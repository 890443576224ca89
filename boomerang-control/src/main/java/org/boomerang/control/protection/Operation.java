package org.boomerang.control.protection;

/** What an operator can ask of a protected item. Every operation runs as a job. Persisted by {@link #id()}. */
public enum Operation {
    ENABLE(1, "enable", false),
    TEST_FAILOVER(2, "test-failover", true),
    CLEANUP_TEST_FAILOVER(3, "cleanup", false),
    PLANNED_FAILOVER(4, "planned-failover", true),
    UNPLANNED_FAILOVER(5, "unplanned-failover", true),
    CHANGE_RECOVERY_POINT(6, "change-recovery-point", false),
    COMMIT(7, "commit", false),
    CANCEL_FAILOVER(8, "cancel-failover", false),
    REPROTECT(9, "reprotect", true),
    DISABLE(10, "disable", false);

    private final int id;
    private final String label;
    private final boolean cancellable;

    Operation(int id, String label, boolean cancellable) {
        this.id = id;
        this.label = label;
        this.cancellable = cancellable;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** Whether a running job of this operation may be cancelled (its done steps are then compensated). */
    public boolean cancellable() {
        return cancellable;
    }

    public boolean isFailover() {
        return this == PLANNED_FAILOVER || this == UNPLANNED_FAILOVER;
    }

    public static Operation fromId(int id) {
        for (Operation o : values()) {
            if (o.id == id) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operation id " + id);
    }
}
