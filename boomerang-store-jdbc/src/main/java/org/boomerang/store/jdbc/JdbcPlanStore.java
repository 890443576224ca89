package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.store.PlanStore;

/** Recovery plans in {@code recovery_plans}. Thread-safe. */
final class JdbcPlanStore implements PlanStore {
    private final Statements sql;
    private final DocumentCodec codec;

    JdbcPlanStore(Statements sql, DocumentCodec codec) {
        this.sql = requireNonNull(sql, "sql is null");
        this.codec = requireNonNull(codec, "codec is null");
    }

    @Override
    public void put(RecoveryPlan plan) {
        sql.update("INSERT INTO recovery_plans (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                plan.id().value(), codec.write(plan));
    }

    @Override
    public Optional<RecoveryPlan> get(PlanId id) {
        return sql.one("SELECT doc FROM recovery_plans WHERE id = ?", rs -> codec.read(rs.getString(1), RecoveryPlan.class), id.value());
    }

    @Override
    public List<RecoveryPlan> list() {
        return sql.query("SELECT doc FROM recovery_plans ORDER BY id", rs -> codec.read(rs.getString(1), RecoveryPlan.class));
    }

    @Override
    public void delete(PlanId id) {
        sql.update("DELETE FROM recovery_plans WHERE id = ?", id.value());
    }
}
