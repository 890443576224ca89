package org.boomerang.control.protection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;

/** The one transition table of SPEC §3 (see {@link ItemState} for the diagram). Stateless. */
public final class Lifecycle {
    private static final List<Transition> TABLE = table();

    private Lifecycle() {}

    private static List<Transition> table() {
        List<Transition> t = new ArrayList<>();
        add(t, ItemState.UNPROTECTED, Operation.ENABLE, ItemState.INITIAL_SYNC, ItemState.PROTECTED);
        add(t, ItemState.PROTECTED, Operation.TEST_FAILOVER, null, ItemState.TEST_RUNNING);
        add(t, ItemState.TEST_RUNNING, Operation.CLEANUP_TEST_FAILOVER, null, ItemState.PROTECTED);
        add(t, ItemState.PROTECTED, Operation.PLANNED_FAILOVER, null, ItemState.FAILED_OVER);
        add(t, ItemState.PROTECTED, Operation.UNPLANNED_FAILOVER, null, ItemState.FAILED_OVER);
        add(t, ItemState.PROTECTED, Operation.DISABLE, null, ItemState.UNPROTECTED);
        add(t, ItemState.FAILED_OVER, Operation.CHANGE_RECOVERY_POINT, null, ItemState.FAILED_OVER);
        add(t, ItemState.FAILED_OVER, Operation.CANCEL_FAILOVER, null, ItemState.PROTECTED);
        add(t, ItemState.FAILED_OVER, Operation.COMMIT, null, ItemState.COMMITTED);
        add(t, ItemState.COMMITTED, Operation.REPROTECT, ItemState.REVERSE_SYNC, ItemState.REVERSE_PROTECTED);
        add(t, ItemState.REVERSE_PROTECTED, Operation.PLANNED_FAILOVER, null, ItemState.FAILED_BACK);
        add(t, ItemState.REVERSE_PROTECTED, Operation.UNPLANNED_FAILOVER, null, ItemState.FAILED_BACK);
        add(t, ItemState.FAILED_BACK, Operation.CHANGE_RECOVERY_POINT, null, ItemState.FAILED_BACK);
        add(t, ItemState.FAILED_BACK, Operation.CANCEL_FAILOVER, null, ItemState.REVERSE_PROTECTED);
        add(t, ItemState.FAILED_BACK, Operation.COMMIT, null, ItemState.COMMITTED_BACK);
        add(t, ItemState.COMMITTED_BACK, Operation.REPROTECT, ItemState.INITIAL_SYNC, ItemState.PROTECTED);
        return List.copyOf(t);
    }

    private static void add(List<Transition> t, ItemState from, Operation op, ItemState during, ItemState to) {
        t.add(new Transition(from, op, Optional.ofNullable(during), to));
    }

    /** Every row of the table, for documentation and exhaustive tests. */
    public static List<Transition> transitions() {
        return TABLE;
    }

    public static Optional<Transition> find(ItemState from, Operation op) {
        return TABLE.stream().filter(t -> t.from() == from && t.operation() == op).findFirst();
    }

    /** The operations legal in {@code state}, in table order. */
    public static List<Operation> legalOperations(ItemState state) {
        return TABLE.stream().filter(t -> t.from() == state).map(Transition::operation).toList();
    }

    /**
     * The transition for {@code op} in {@code state}, or {@code ILLEGAL_TRANSITION} naming the state
     * and the legal operations.
     */
    public static Transition require(ItemId item, ItemState state, Operation op) {
        return find(state, op).orElseThrow(() -> illegal(item, state, op));
    }

    public static BoomerangException illegal(ItemId item, ItemState state, Operation op) {
        List<Operation> legal = legalOperations(state);
        String legalText = legal.isEmpty()
                ? "none"
                : legal.stream().map(Operation::label).collect(Collectors.joining(", "));
        return new BoomerangException(
                ControlError.ILLEGAL_TRANSITION,
                "cannot " + op.label() + " item " + item + ": it is " + state.label(),
                "legal actions in state " + state.label() + ": " + legalText);
    }
}
