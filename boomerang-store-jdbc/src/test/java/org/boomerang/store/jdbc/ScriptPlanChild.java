package org.boomerang.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.plan.PlanGroup;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.PlanOperation;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.plan.ScriptAction;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.testing.TestingEstate;

/**
 * A control server in its own JVM, for {@link ScriptProcessTest}: on the SQLite file {@code args[0]}
 * it protects web1 and runs plan "p" whose pre action is {@code sh args[1]}, then waits to be
 * killed. With {@code args[2]} = "hook" it closes the control server on SIGTERM, as
 * {@code boomerang server} does.
 */
public final class ScriptPlanChild {
    private ScriptPlanChild() {}

    public static void main(String[] args) throws Exception {
        JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(Path.of(args[0])));
        TestingEstate estate = new TestingEstate(store, "node-a");
        if (args.length > 2 && args[2].equals("hook")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                estate.close();
                store.close();
            }));
        }
        estate.protect("web", TestingEstate.WEB1);
        estate.server.plans().put(new RecoveryPlan(new PlanId("p"), "p", List.of(new PlanGroup("g", List.of(new ItemId("web")),
                List.of(new ScriptAction(List.of("sh", args[1]), Duration.ofMinutes(5))), List.of()))));
        estate.server.plans().run(new PlanId("p"), PlanOperation.TEST_FAILOVER, Optional.empty());
        Thread.sleep(Long.MAX_VALUE);
    }
}
