package org.boomerang.api.control;

import java.util.List;
import org.boomerang.api.RouteGroup;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlServer;

/** Every route group over the control server's four facades. */
public final class ControlRoutes {
    /** How often a job's event stream re-reads the job. */
    public static final long JOB_POLL_MILLIS = 200;

    private ControlRoutes() {}

    public static List<RouteGroup> of(ControlServer server) {
        return List.of(
                new InventoryRoutes(server.inventory(), server.protection()),
                new EstateRoutes(server.inventory(), Clock.SYSTEM),
                new PolicyRoutes(server.inventory()),
                new ItemRoutes(server.protection(), server.inventory()),
                new PlanRoutes(server.plans()),
                new JobRoutes(server.jobs(), JOB_POLL_MILLIS));
    }
}
