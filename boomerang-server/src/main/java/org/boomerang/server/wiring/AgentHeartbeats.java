package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.SiteProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of the embedded data plane's agents: every {@code every}, for each site, each machine
 * whose agent runs now reports in to the control server ({@link InventoryService#agentHeartbeat}, keyed
 * by site and machine). An agent runs when its machine is on, its site shows the agent registered since
 * the machine last booted (FB-21: it may take minutes after a boot), and the site's agent serves at
 * least one of the machine's disks (the inline capture that the agent is). A machine that is off, whose
 * agent was removed or has not registered yet, or whose disks are not served sends none: its item is
 * alerted once the silence passes the control server's {@code agentSilence}.
 *
 * <p>Runs on one daemon thread; a site that cannot be discovered is logged and tried again next time.
 * {@link #close()} stops it. Thread-safe.
 */
public final class AgentHeartbeats implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHeartbeats.class);
    private final List<SiteProvider> sites;
    private final InventoryService inventory;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("agent-heartbeats").factory());

    public AgentHeartbeats(List<SiteProvider> sites, InventoryService inventory) {
        this.sites = List.copyOf(sites);
        this.inventory = requireNonNull(inventory, "inventory is null");
    }

    /** Reports now, then every {@code every}. */
    public AgentHeartbeats start(Duration every) {
        long ms = Math.max(10, every.toMillis());
        timer.scheduleWithFixedDelay(this::reportOnce, 0, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: a heartbeat for every machine whose agent runs now. */
    public void reportOnce() {
        for (SiteProvider site : sites) {
            try {
                Inventory inv = site.discover();
                for (Machine m : inv.machines()) {
                    if (runs(m)) {
                        inventory.agentHeartbeat(inv.site(), m.id());
                    }
                }
            } catch (RuntimeException e) {
                if (!timer.isShutdown()) {
                    LOG.warn("agent heartbeats of site {} could not be gathered; trying again on the next round", site.site(), e);
                }
            }
        }
    }

    /** True when the machine's agent runs now: on, registered since its boot, and serving one of its disks. */
    static boolean runs(Machine m) {
        return m.power() == PowerState.ON && m.agentRegisteredSinceBoot() && m.disks().stream().anyMatch(d -> d.served().isPresent());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
