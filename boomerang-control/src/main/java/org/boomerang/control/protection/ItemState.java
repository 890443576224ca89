package org.boomerang.control.protection;

/**
 * The lifecycle state of a protected item (SPEC §3). Persisted by {@link #id()}, never by ordinal.
 *
 * <pre>
 *  UNPROTECTED ─enable─▶ INITIAL_SYNC ─▶ PROTECTED ─┬─test-failover─▶ TEST_RUNNING ─cleanup─▶ PROTECTED
 *                                                    └─planned/unplanned failover─▶ FAILED_OVER
 *  FAILED_OVER ─change-recovery-point─▶ FAILED_OVER      FAILED_OVER ─cancel─▶ PROTECTED
 *  FAILED_OVER ─commit─▶ COMMITTED ─reprotect─▶ REVERSE_SYNC ─▶ REVERSE_PROTECTED
 *  REVERSE_PROTECTED ─failover (failback)─▶ FAILED_BACK ─commit─▶ COMMITTED_BACK ─reprotect─▶ INITIAL_SYNC …
 *  FAILED_BACK ─cancel─▶ REVERSE_PROTECTED
 *  any running operation ─fails─▶ the state before it (operations are retryable)
 * </pre>
 *
 * The table itself is {@link Lifecycle}. INITIAL_SYNC and REVERSE_SYNC are entered by the
 * enable/reprotect job once replication has started.
 */
public enum ItemState {
    UNPROTECTED(1),
    INITIAL_SYNC(2),
    PROTECTED(3),
    TEST_RUNNING(4),
    FAILED_OVER(5),
    COMMITTED(6),
    REVERSE_SYNC(7),
    REVERSE_PROTECTED(8),
    FAILED_BACK(9),
    COMMITTED_BACK(10);

    private final int id;

    ItemState(int id) {
        this.id = id;
    }

    /** The persisted id; never changes once released. */
    public int id() {
        return id;
    }

    public static ItemState fromId(int id) {
        for (ItemState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown item state id " + id);
    }

    /** The seed's wording, lower case with dashes, e.g. {@code reverse-protected}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** True when the running workload is at the recovery site (replication, if any, runs back to primary). */
    public boolean workloadAtRecovery() {
        return switch (this) {
            case FAILED_OVER, COMMITTED, REVERSE_SYNC, REVERSE_PROTECTED -> true;
            case UNPROTECTED, INITIAL_SYNC, PROTECTED, TEST_RUNNING, FAILED_BACK, COMMITTED_BACK -> false;
        };
    }
}
