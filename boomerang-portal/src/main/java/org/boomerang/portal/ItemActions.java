package org.boomerang.portal;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.Operation;

/** The seed's actions as the item page shows them: order, address, label and the form each needs. Stateless. */
final class ItemActions {
    /** The order of the buttons: the seed's cycle. */
    static final List<Operation> ORDER = List.of(Operation.ENABLE, Operation.TEST_FAILOVER, Operation.CLEANUP_TEST_FAILOVER,
            Operation.PLANNED_FAILOVER, Operation.UNPLANNED_FAILOVER, Operation.CHANGE_RECOVERY_POINT, Operation.COMMIT,
            Operation.CANCEL_FAILOVER, Operation.REPROTECT, Operation.DISABLE);

    private ItemActions() {}

    /** The last path segment of the action's form, e.g. {@code unplanned-failover}. */
    static String verb(Operation op) {
        return switch (op) {
            case ENABLE -> "enable";
            case TEST_FAILOVER -> "test-failover";
            case CLEANUP_TEST_FAILOVER -> "cleanup";
            case PLANNED_FAILOVER -> "planned-failover";
            case UNPLANNED_FAILOVER -> "unplanned-failover";
            case CHANGE_RECOVERY_POINT -> "change-point";
            case COMMIT -> "commit";
            case CANCEL_FAILOVER -> "cancel";
            case REPROTECT -> "reprotect";
            case DISABLE -> "disable";
        };
    }

    static Optional<Operation> byVerb(String verb) {
        return ORDER.stream().filter(op -> verb(op).equals(verb)).findFirst();
    }

    /** The button's words; a failover out of reverse-protected is a failback. */
    static String label(Operation op, ItemState state) {
        boolean failback = state == ItemState.REVERSE_PROTECTED || state == ItemState.FAILED_BACK;
        return switch (op) {
            case ENABLE -> "Enable replication";
            case TEST_FAILOVER -> "Test failover";
            case CLEANUP_TEST_FAILOVER -> "Cleanup test failover";
            case PLANNED_FAILOVER -> failback ? "Planned failback" : "Planned failover";
            case UNPLANNED_FAILOVER -> failback ? "Unplanned failback" : "Unplanned failover";
            case CHANGE_RECOVERY_POINT -> "Change recovery point";
            case COMMIT -> "Commit";
            case CANCEL_FAILOVER -> failback ? "Cancel failback" : "Cancel failover";
            case REPROTECT -> "Re-protect";
            case DISABLE -> "Disable replication";
        };
    }

    /** Which form the action needs: {@code simple} (a button), {@code point} (a recovery point) or {@code reprotect}. */
    static String form(Operation op) {
        return switch (op) {
            case TEST_FAILOVER, PLANNED_FAILOVER, UNPLANNED_FAILOVER, CHANGE_RECOVERY_POINT -> "point";
            case REPROTECT -> "reprotect";
            case ENABLE, CLEANUP_TEST_FAILOVER, COMMIT, CANCEL_FAILOVER, DISABLE -> "simple";
        };
    }
}
