package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRequest;
import org.boomerang.provider.MachineId;

/**
 * A job request for one item operation, with every decision made before the job started: the
 * state it started from (restored on failure), the chosen recovery point and its data loss, the
 * reprotect plan, and whether the operator confirmed that the source of an unplanned failback (the
 * recovery-site machine) cannot be reached and may be left as it is, fenced (FB-17). Requests stored
 * before that field existed read it as false.
 */
public record ItemJobRequest(
        ItemId item,
        Operation operation,
        ItemState from,
        Optional<PointId> point,
        Optional<Duration> dataLoss,
        Optional<ReprotectPlan> reprotect,
        Optional<MachineId> previousMachine,
        boolean sourceUnreachableConfirmed) implements JobRequest {
    public ItemJobRequest {
        requireNonNull(item, "item is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(from, "from is null");
        requireNonNull(point, "point is null");
        requireNonNull(dataLoss, "dataLoss is null");
        requireNonNull(reprotect, "reprotect is null");
        requireNonNull(previousMachine, "previousMachine is null");
    }

    /** A request that confirms nothing about an unreachable source. */
    public ItemJobRequest(ItemId item, Operation operation, ItemState from, Optional<PointId> point, Optional<Duration> dataLoss,
            Optional<ReprotectPlan> reprotect, Optional<MachineId> previousMachine) {
        this(item, operation, from, point, dataLoss, reprotect, previousMachine, false);
    }

    /** The same request with the operator's confirmation that the source cannot be reached (FB-17). */
    public ItemJobRequest withSourceUnreachableConfirmed(boolean confirmed) {
        return new ItemJobRequest(item, operation, from, point, dataLoss, reprotect, previousMachine, confirmed);
    }

    public static ItemJobRequest simple(ItemId item, Operation op, ItemState from) {
        return new ItemJobRequest(item, op, from, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public JobKind kind() {
        return JobKind.ITEM_OPERATION;
    }

    @Override
    public String target() {
        return item.value();
    }

    @Override
    public String describe() {
        String what = operation.isFailover() && from == ItemState.REVERSE_PROTECTED ? operation.label() + " (failback)" : operation.label();
        return what + " of item " + item + point.map(p -> " at point " + p).orElse("")
                + dataLoss.filter(d -> !d.isZero()).map(d -> " (" + d.toSeconds() + " s behind the latest point)").orElse("")
                + (sourceUnreachableConfirmed ? ", the operator confirmed the source cannot be reached" : "");
    }
}
