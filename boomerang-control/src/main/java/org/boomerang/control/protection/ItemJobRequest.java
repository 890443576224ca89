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
 * state it started from (restored on failure), the chosen recovery point and its data loss, and the
 * reprotect plan.
 */
public record ItemJobRequest(
        ItemId item,
        Operation operation,
        ItemState from,
        Optional<PointId> point,
        Optional<Duration> dataLoss,
        Optional<ReprotectPlan> reprotect,
        Optional<MachineId> previousMachine) implements JobRequest {
    public ItemJobRequest {
        requireNonNull(item, "item is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(from, "from is null");
        requireNonNull(point, "point is null");
        requireNonNull(dataLoss, "dataLoss is null");
        requireNonNull(reprotect, "reprotect is null");
        requireNonNull(previousMachine, "previousMachine is null");
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
                + dataLoss.filter(d -> !d.isZero()).map(d -> " (" + d.toSeconds() + " s behind the latest point)").orElse("");
    }
}
