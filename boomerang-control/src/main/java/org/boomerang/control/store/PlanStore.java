package org.boomerang.control.store;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.RecoveryPlan;

/** Recovery plans. Thread-safe; put is an upsert. */
public interface PlanStore {
    void put(RecoveryPlan plan);

    Optional<RecoveryPlan> get(PlanId id);

    List<RecoveryPlan> list();

    void delete(PlanId id);
}
