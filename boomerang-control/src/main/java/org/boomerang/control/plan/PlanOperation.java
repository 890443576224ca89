package org.boomerang.control.plan;

import org.boomerang.control.protection.Operation;

/** What a plan can do to all its items. Persisted by {@link #id()}. */
public enum PlanOperation {
    TEST_FAILOVER(1, Operation.TEST_FAILOVER),
    CLEANUP(2, Operation.CLEANUP_TEST_FAILOVER),
    PLANNED_FAILOVER(3, Operation.PLANNED_FAILOVER),
    UNPLANNED_FAILOVER(4, Operation.UNPLANNED_FAILOVER),
    COMMIT(5, Operation.COMMIT),
    REPROTECT(6, Operation.REPROTECT),
    /** A planned failover of reverse-protected items. */
    FAILBACK(7, Operation.PLANNED_FAILOVER);

    private final int id;
    private final Operation itemOperation;

    PlanOperation(int id, Operation itemOperation) {
        this.id = id;
        this.itemOperation = itemOperation;
    }

    public int id() {
        return id;
    }

    public Operation itemOperation() {
        return itemOperation;
    }

    public boolean needsPoint() {
        return switch (this) {
            case TEST_FAILOVER, PLANNED_FAILOVER, UNPLANNED_FAILOVER, FAILBACK -> true;
            case CLEANUP, COMMIT, REPROTECT -> false;
        };
    }

    public static PlanOperation fromId(int id) {
        for (PlanOperation o : values()) {
            if (o.id == id) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown plan operation id " + id);
    }
}
