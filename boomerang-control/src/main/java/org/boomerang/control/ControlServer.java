package org.boomerang.control;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.Clock;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.JobHandlers;
import org.boomerang.control.job.JobRunner;
import org.boomerang.control.job.JobService;
import org.boomerang.control.plan.PlanService;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.control.store.ControlStore;

/**
 * The control server as a library: wires the store, the site providers and the data plane into
 * the four facades the API calls ({@link #inventory()}, {@link #protection()}, {@link #plans()},
 * {@link #jobs()}). {@link #start()} mints or loads the server identity and resumes every job left
 * unfinished by a previous run. Owns its job runner; does not own the store, providers or data plane.
 */
public final class ControlServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlServer.class);
    private final ControlServerConfig config;
    private final JobRunner runner;
    private final InventoryService inventory;
    private final ProtectionService protection;
    private final PlanService plans;
    private final JobService jobs;
    private final ScheduledExecutorService housekeeping =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("control-housekeeping").factory());

    public ControlServer(ControlStore store, SiteProviders providers, DataPlane dataPlane, Clock clock, ControlServerConfig config) {
        requireNonNull(store, "store is null");
        requireNonNull(providers, "providers is null");
        requireNonNull(dataPlane, "dataPlane is null");
        requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        JobHandlers handlers = new JobHandlers();
        this.runner = new JobRunner(store.jobs(), handlers, clock, config.node(), config.lease());
        this.inventory = new InventoryService(store.inventory(), providers, clock);
        this.protection = new ProtectionService(store, inventory, providers, dataPlane, handlers, runner, clock, config.agentSilence());
        this.plans = new PlanService(store, protection, handlers, runner, clock);
        this.jobs = new JobService(store.jobs(), handlers, runner, clock);
    }

    /**
     * Loads or mints the identity, clears dangling claims, resumes unfinished jobs and starts
     * polling (job leases, runnable jobs, item health from replication facts, auto-commit/rollback deadlines).
     */
    public ControlServerIdentity start() {
        ControlServerIdentity id = inventory.ensureIdentity(config.address(), config.site());
        if (!id.address().equals(config.address())) {
            LOG.warn("this control server runs at {} but its database belongs to the server at {} (restored from a backup?); "
                    + "agents and process servers reach it at the old address: run it there (FB-13)", config.address(), id.address());
        }
        protection.recoverClaims();
        if (config.exclusive()) {
            runner.adoptAll();
        } else {
            runner.pollOnce();
        }
        runner.startPolling(config.poll());
        long ms = Math.max(10, config.poll().toMillis());
        housekeeping.scheduleWithFixedDelay(this::resolveExpired, ms, ms, TimeUnit.MILLISECONDS);
        return id;
    }

    private void resolveExpired() {
        try {
            protection.measureHealth();
        } catch (RuntimeException e) {
            if (!housekeeping.isShutdown()) {
                LOG.warn("health measurement failed; retrying on the next poll", e);
            }
        }
        try {
            protection.resolveExpired();
        } catch (RuntimeException e) {
            if (!housekeeping.isShutdown()) {
                LOG.warn("auto-commit/rollback check failed; retrying on the next poll", e);
            }
        }
    }

    public InventoryService inventory() {
        return inventory;
    }

    public ProtectionService protection() {
        return protection;
    }

    public PlanService plans() {
        return plans;
    }

    public JobService jobs() {
        return jobs;
    }

    public JobRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        runner.close();
    }
}
