package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.Backoff;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.IoError;
import org.boomerang.control.ControlError;
import org.boomerang.control.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs step by step, durably. For each step it writes the step record STARTED (which
 * registers its compensation) before calling it and DONE after, so a job interrupted by a crash is
 * resumed by replaying the STARTED step with the same request id and skipping the DONE ones. A
 * failing step makes the runner compensate every started step in reverse order, then report the
 * failure to the {@link JobHandler}.
 *
 * <p>Only the holder of a job's lease runs it ({@link JobStore#acquireLease}); the lease is renewed
 * while the job runs and expires when the server dies, so another server (or this one after a
 * restart) takes the job over. Lease times are the database's clock, never this server's. Each
 * acquisition has a higher epoch ({@link JobLease}); the step's context carries it to the data plane.
 * The lease is checked before every step, before it is recorded DONE, and whenever a step logs, notes
 * or reports progress ({@link StepContext#checkLease}); a step whose lease was lost stops there with
 * {@code LEASE_LOST} and is neither compensated nor failed: the job belongs to the lease's new holder.
 * Within one runner a job never runs on two threads.
 *
 * <p>Thread-safe. Owns its executors; {@link #close()} stops them (a job running then is left to
 * be resumed, like after a crash).
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** Retries of a save that lost a version race: 20 attempts, waits from 5 ms doubling up to 500 ms. */
    static final Backoff SAVE_BACKOFF = Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(500), 20);

    private final JobStore store;
    private final JobHandlers handlers;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final Backoff saveBackoff;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker;
    private final Set<JobId> running = ConcurrentHashMap.newKeySet();
    /** The lease of each job this runner is running, as last acquired or renewed. */
    private final ConcurrentHashMap<JobId, JobLease> leases = new ConcurrentHashMap<>();
    /** Jobs whose lease a renewal found lost; their steps stop at the next check. */
    private final Set<JobId> lost = ConcurrentHashMap.newKeySet();

    /**
     * @param owner this server's name in job leases; a restarted server with the same name takes its jobs back at once
     * @param lease how long a lease lasts without renewal (a dead server's jobs wait this long)
     */
    public JobRunner(JobStore store, JobHandlers handlers, Clock clock, String owner, Duration lease) {
        this(store, handlers, clock, owner, lease, SAVE_BACKOFF);
    }

    /** For tests: another backoff for saves that lose a version race (e.g. one that records its waits instead of sleeping). */
    JobRunner(JobStore store, JobHandlers handlers, Clock clock, String owner, Duration lease, Backoff saveBackoff) {
        this.saveBackoff = requireNonNull(saveBackoff, "saveBackoff is null");
        this.store = requireNonNull(store, "store is null");
        this.handlers = requireNonNull(handlers, "handlers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.lease = requireNonNull(lease, "lease is null");
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("job-lease-" + owner).factory());
    }

    public String owner() {
        return owner;
    }

    /** Renews leases of running jobs and picks up runnable ones every {@code every}. */
    public void startPolling(Duration every) {
        long ms = Math.max(10, every.toMillis());
        ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            for (JobLease held : leases.values()) {
                renew(held);
            }
            pollOnce();
        } catch (RuntimeException e) {
            if (!ticker.isShutdown()) {
                LOG.warn("job poll failed; retrying on the next tick", e);
            }
        }
    }

    /** Renews a running job's lease; a lease found lost stops the job's step at its next check. */
    private boolean renew(JobLease held) {
        Optional<JobLease> renewed = store.renewLease(held, lease);
        if (renewed.isPresent()) {
            leases.replace(held.job(), held, renewed.get());
            return true;
        }
        if (lost.add(held.job())) {
            LOG.warn("job {}: lease epoch {} of {} was lost (another server took the job); its step stops at the next check",
                    held.job(), held.epoch(), owner);
        }
        return false;
    }

    /** Submits every job a runner may pick up now (queued, or running with an expired lease). */
    public void pollOnce() {
        for (JobId id : store.runnable(owner)) {
            submit(id);
        }
    }

    /**
     * Takes the lease of every unfinished job, whoever holds it, and runs them: for a server that is
     * its database's only user (its data folder is locked), so every other lease is a dead
     * server's. Never call it on a database that other live servers share.
     */
    public void adoptAll() {
        for (JobId id : store.unfinished()) {
            if (store.seizeLease(id, owner, lease).isPresent()) {
                LOG.info("job {} taken over at start (the database is this server's alone)", id);
            }
            submit(id);
        }
    }

    /** Runs the job on a worker thread if this runner gets its lease. */
    public void submit(JobId id) {
        requireNonNull(id, "id is null");
        if (!running.add(id)) {
            return;
        }
        workers.execute(() -> {
            try {
                Optional<JobLease> got = store.acquireLease(id, owner, lease);
                if (got.isPresent()) {
                    lost.remove(id);
                    leases.put(id, got.get());
                    runLeased(got.get());
                }
            } catch (BoomerangException e) {
                if (e.code() == ControlError.LEASE_LOST) {
                    LOG.warn("job {} left to the lease's new holder: {}", id, e.getMessage());
                } else if (workers.isShutdown()) {
                    leaveForResume(id, "in progress");
                } else {
                    LOG.error("job {} stopped unexpectedly; it resumes when its lease expires", id, e);
                }
            } catch (RuntimeException e) {
                if (workers.isShutdown()) {
                    leaveForResume(id, "in progress");
                } else {
                    LOG.error("job {} stopped unexpectedly; it resumes when its lease expires", id, e);
                }
            } finally {
                leases.remove(id);
                lost.remove(id);
                running.remove(id);
            }
        });
    }

    /** True while this runner is executing the job. */
    public boolean isRunning(JobId id) {
        return running.contains(id);
    }

    /** The lease this runner holds on {@code id} now; throws {@code LEASE_LOST} when it was lost. */
    private JobLease checkLease(JobId id) {
        JobLease held = leases.get(id);
        if (held == null || lost.contains(id) || !store.holds(held)) {
            lost.add(id);
            throw new BoomerangException(ControlError.LEASE_LOST, "job " + id + ": " + owner + " no longer holds its lease"
                    + (held == null ? "" : " (epoch " + held.epoch() + ")") + "; another server took the job over",
                    "nothing to do: the job goes on under the new holder; check that this server reaches the database");
        }
        return held;
    }

    /** The job's lease renewed now; throws {@code LEASE_LOST} when it was lost. */
    private void renewNow(JobId id) {
        JobLease held = leases.get(id);
        if (held == null || !renew(held)) {
            checkLease(id);
        }
    }

    private void runLeased(JobLease leased) {
        JobId id = leased.job();
        Job job = store.get(id).orElseThrow();
        if (job.state().isTerminal() || job.state() == JobState.WAITING_FOR_OPERATOR) {
            store.releaseLease(leased);
            return;
        }
        JobHandler handler = handlers.of(job.kind());
        List<Step> steps = handler.steps(job);
        boolean resumed = job.state() != JobState.QUEUED;
        if (job.state() != JobState.CANCELLING && !job.cancelRequested()) {
            job = save(job.withState(JobState.RUNNING, clock.now()));
        }
        log(id, (resumed ? "resumed on " : "started on ") + owner + " (lease epoch " + leased.epoch() + ")");
        for (int i = 0; i < steps.size(); i++) {
            job = store.get(id).orElseThrow();
            if (job.cancelRequested()) {
                finishCancelled(job, handler, steps);
                return;
            }
            Step step = steps.get(i);
            Optional<JobStep> record = stepRecord(id, i);
            if (record.isPresent() && record.get().state() == StepState.DONE) {
                continue;
            }
            RequestId requestId = record.map(JobStep::requestId).orElse(RequestId.of(id, i));
            checkLease(id);
            Optional<String> interruptedNote = record.filter(r -> r.state() == StepState.STARTED).map(JobStep::detail).filter(d -> !d.isEmpty());
            JobStep started = new JobStep(id, i, step.name(), requestId, StepState.STARTED, "", clock.now());
            store.putStep(started);
            job = save(job.withProgress(new JobProgress(percent(i, steps.size()), step.name(), 0, 0), clock.now()));
            Context ctx = new Context(job, requestId, i, steps.size(), step.name(), started, interruptedNote);
            try {
                step.run(ctx);
            } catch (OperatorPause pause) {
                store.putStep(started.with(StepState.WAITING, pause.instruction(), clock.now()));
                log(id, "waiting for an operator: " + pause.instruction());
                save(store.get(id).orElseThrow().withState(JobState.WAITING_FOR_OPERATOR, clock.now()));
                releaseLease(id);
                return;
            } catch (RuntimeException e) {
                if (stopping()) {
                    leaveForResume(id, step.name());
                    return;
                }
                if (e instanceof BoomerangException be && be.code() == ControlError.LEASE_LOST) {
                    LOG.warn("job {}: step {} stopped, the lease was lost: {}", id, step.name(), be.getMessage());
                    return;
                }
                if (e instanceof BoomerangException be) {
                    fail(id, handler, steps, started, be);
                    return;
                }
                BoomerangException typed = IoError.of(e, "step '" + step.name() + "'").orElseGet(() -> new BoomerangException(ControlError.STEP_FAILED,
                        "step '" + step.name() + "' failed: " + e, "see the job log; retry the operation when the cause is fixed", e));
                fail(id, handler, steps, started, typed);
                return;
            }
            try {
                renewNow(id);
            } catch (BoomerangException lostIt) {
                LOG.warn("job {} lost its lease during step {}; leaving it to the new owner", id, step.name());
                return;
            }
            store.putStep(started.with(StepState.DONE, "", clock.now()));
            log(id, "step " + (i + 1) + "/" + steps.size() + " done: " + step.name());
        }
        job = store.get(id).orElseThrow();
        handler.succeeded(job);
        job = store.get(id).orElseThrow();
        job = job.withProgress(new JobProgress(100, "", job.progress().bytesDone(), job.progress().bytesTotal()), clock.now());
        save(job.withState(JobState.SUCCEEDED, clock.now()));
        log(id, "succeeded");
        releaseLease(id);
    }

    /**
     * The server is shutting down: the step stays STARTED and the job RUNNING, as after a crash, and
     * the lease is given up so the next server takes the job at once. The interrupt is cleared while
     * writing (a database driver would refuse to talk on an interrupted thread), then restored.
     */
    private void leaveForResume(JobId id, String step) {
        boolean interrupted = Thread.interrupted();
        try {
            log(id, "step " + step + " interrupted by the shutdown of " + owner + "; the job resumes on the next server");
            releaseLease(id);
        } catch (RuntimeException e) {
            LOG.debug("could not hand job {} over at shutdown; its lease will expire", id, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void releaseLease(JobId id) {
        JobLease held = leases.get(id);
        if (held != null) {
            store.releaseLease(held);
        }
    }

    private boolean stopping() {
        return workers.isShutdown() || Thread.currentThread().isInterrupted();
    }

    private void fail(JobId id, JobHandler handler, List<Step> steps, JobStep failedStep, BoomerangException e) {
        store.putStep(failedStep.with(StepState.FAILED, e.describe(), clock.now()));
        log(id, "step " + failedStep.name() + " failed: " + e.describe());
        Job job = store.get(id).orElseThrow();
        compensate(job, steps);
        handler.failed(store.get(id).orElseThrow(), e);
        job = store.get(id).orElseThrow();
        save(job.withError(Optional.of(JobError.of(e)), clock.now()).withState(JobState.FAILED, clock.now()));
        log(id, "failed: " + e.describe());
        releaseLease(id);
    }

    private void finishCancelled(Job job, JobHandler handler, List<Step> steps) {
        job = save(job.withState(JobState.CANCELLING, clock.now()));
        log(job.id(), "cancelling: compensating the steps done so far");
        compensate(job, steps);
        handler.cancelled(store.get(job.id()).orElseThrow());
        save(store.get(job.id()).orElseThrow().withState(JobState.CANCELLED, clock.now()));
        log(job.id(), "cancelled");
        releaseLease(job.id());
    }

    /** Compensates every started, done or failed step in reverse order; a compensation error is logged and the rest continue. */
    private void compensate(Job job, List<Step> steps) {
        List<JobStep> records = store.steps(job.id());
        for (int i = records.size() - 1; i >= 0; i--) {
            JobStep r = records.get(i);
            if (r.state() == StepState.COMPENSATED || r.index() >= steps.size()) {
                continue;
            }
            Step step = steps.get(r.index());
            try {
                step.compensate(new Context(job, r.requestId().undo(), r.index(), steps.size(), step.name(), r, Optional.empty()));
                store.putStep(r.with(StepState.COMPENSATED, r.detail(), clock.now()));
                log(job.id(), "compensated: " + step.name());
            } catch (RuntimeException e) {
                log(job.id(), "compensation of " + step.name() + " failed (clean up by hand): " + e.getMessage());
                LOG.warn("compensation of step {} of job {} failed", step.name(), job.id(), e);
            }
        }
    }

    private Optional<JobStep> stepRecord(JobId id, int index) {
        return store.steps(id).stream().filter(s -> s.index() == index).findFirst();
    }

    private static int percent(int done, int total) {
        return total == 0 ? 0 : Math.min(99, done * 100 / total);
    }

    /**
     * Writes a job, re-reading and re-applying on a version conflict with a concurrent writer (a cancel
     * request, a lease renewal), with bounded exponential backoff and jitter ({@link #SAVE_BACKOFF}); gives up with
     * {@link ControlError#UPDATE_RETRIES_EXHAUSTED}.
     */
    private Job save(Job wanted) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.update(wanted);
            } catch (BoomerangException e) {
                if (e.code() != ControlError.CONCURRENT_UPDATE) {
                    throw e;
                }
                if (attempt >= saveBackoff.attempts() || !saveBackoff.pause(attempt)) {
                    throw new BoomerangException(ControlError.UPDATE_RETRIES_EXHAUSTED,
                            "job " + wanted.id() + " kept changing under this runner: gave up saving it after " + attempt + " of "
                                    + saveBackoff.describe(),
                            "another server or request writes the job continuously; check for two servers sharing a node name", e);
                }
                Job fresh = store.get(wanted.id()).orElseThrow();
                wanted = new Job(fresh.id(), fresh.request(), wanted.state(), wanted.progress(), wanted.error(),
                        fresh.createdAt(), wanted.updatedAt(), fresh.leaseOwner(), fresh.leaseUntil(),
                        fresh.cancelRequested(), fresh.parent(), fresh.restartOf(), fresh.version());
            }
        }
    }

    /** A line of the job's log, also logged as an event (job start, step, resume, failure, cancel). */
    private void log(JobId id, String message) {
        store.appendLog(id, clock.now(), message);
        LOG.info("job {}: {}", id, message);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            // no lease renewal may race with the hand-over below
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(15, TimeUnit.SECONDS); // a script gets SIGTERM, 5 s, SIGKILL
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Context implements StepContext {
        private final Job job;
        private final RequestId requestId;
        private final int index;
        private final int total;
        private final String name;
        private final JobStep record;
        private final Optional<String> interruptedNote;

        Context(Job job, RequestId requestId, int index, int total, String name, JobStep record, Optional<String> interruptedNote) {
            this.job = job;
            this.requestId = requestId;
            this.index = index;
            this.total = total;
            this.name = name;
            this.record = record;
            this.interruptedNote = interruptedNote;
        }

        @Override
        public JobLease lease() {
            JobLease held = leases.get(job.id());
            if (held == null) {
                throw new BoomerangException(ControlError.LEASE_LOST, "job " + job.id() + " runs under no lease of " + owner,
                        "nothing to do: the job goes on under its lease's holder");
            }
            return held;
        }

        @Override
        public void checkLease() {
            JobRunner.this.checkLease(job.id());
        }

        @Override
        public void note(String detail) {
            checkLease();
            store.putStep(record.with(record.state(), detail, clock.now()));
        }

        @Override
        public Optional<String> interruptedNote() {
            return interruptedNote;
        }

        @Override
        public Job job() {
            return job;
        }

        @Override
        public RequestId requestId() {
            return requestId;
        }

        @Override
        public void log(String message) {
            checkLease();
            JobRunner.this.log(job.id(), name + ": " + message);
        }

        @Override
        public void progress(int percent, long bytesDone, long bytesTotal) {
            checkLease();
            int base = JobRunner.percent(index, total);
            int span = Math.max(0, JobRunner.percent(index + 1, total) - base);
            int overall = Math.min(99, base + span * Math.max(0, Math.min(100, percent)) / 100);
            Job fresh = store.get(job.id()).orElseThrow();
            save(fresh.withProgress(new JobProgress(overall, name, bytesDone, bytesTotal), clock.now()));
        }

        @Override
        public void waitForOperator(String instruction) {
            throw new OperatorPause(instruction);
        }
    }

    /** For tests and diagnostics: when a lease taken now would expire. */
    Instant leaseUntilFromNow() {
        return clock.now().plus(lease);
    }
}
