package org.boomerang.control.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.common.Backoff;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.store.JobStore;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;

/**
 * {@code JobRunner}'s saves against a job store where another writer wins the version race: the
 * runner waits with growing, jittered, bounded pauses and carries on; after the last attempt it gives
 * up, leaving the job to be resumed rather than half-written.
 */
class JobRunnerSaveRetryTest {
    private final TestingClock clock = new TestingClock();
    private final InMemoryControlStore store = new InMemoryControlStore();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(40), 6, waits::add, new SplittableRandom(3));
    private final AtomicInteger updates = new AtomicInteger();

    @Test
    void aSaveThatLosesRetriesWithGrowingJitteredWaitsThenTheJobSucceeds() {
        Job done = run(3);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(waits).hasSize(3);
        for (int i = 0; i < waits.size(); i++) {
            Duration ceiling = backoff.ceiling(i + 1);
            assertThat(waits.get(i)).as("wait %d", i + 1).isBetween(ceiling.dividedBy(2), ceiling);
        }
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.ceiling(5)).as("capped").isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aSaveThatAlwaysLosesGivesUpAfterTheLastAttemptAndLeavesTheJobToResume() {
        Job left = run(Integer.MAX_VALUE);
        assertThat(updates).as("one update per attempt, no more").hasValue(backoff.attempts());
        assertThat(waits).hasSize(backoff.attempts() - 1);
        assertThat(left.state()).as("never half-written").isEqualTo(JobState.QUEUED);
    }

    /** Runs one job of three steps while the first {@code losses} job updates lose; returns the job as stored after. */
    private Job run(int losses) {
        JobHandlers handlers = new JobHandlers();
        handlers.register(JobKind.ITEM_OPERATION, new JobRunnerTest.ScriptedHandler());
        try (JobRunner runner = new JobRunner(racing(store.jobs(), losses), handlers, clock, "node-a", Duration.ofSeconds(30), backoff)) {
            Job job = Job.queued(JobId.random(), new JobRunnerTest.TestRequest("t"), clock.now(), Optional.empty(), Optional.empty());
            store.jobs().create(job);
            runner.submit(job.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runner.isRunning(job.id()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(runner.isRunning(job.id())).as("the runner let go of the job").isFalse();
            return store.jobs().get(job.id()).orElseThrow();
        }
    }

    /** A job store whose first {@code losses} updates lose to a concurrent writer. */
    private JobStore racing(JobStore real, int losses) {
        return new JobStore() {
            @Override
            public boolean create(Job job) {
                return real.create(job);
            }

            @Override
            public Optional<Job> get(JobId id) {
                return real.get(id);
            }

            @Override
            public List<Job> list() {
                return real.list();
            }

            @Override
            public List<Job> children(JobId parent) {
                return real.children(parent);
            }

            @Override
            public Job update(Job job) {
                if (updates.incrementAndGet() <= losses) {
                    throw new BoomerangException(ControlError.CONCURRENT_UPDATE, "changed first", "re-read");
                }
                return real.update(job);
            }

            @Override
            public boolean tryLease(JobId id, String owner, Instant until, Instant now) {
                return real.tryLease(id, owner, until, now);
            }

            @Override
            public void releaseLease(JobId id, String owner) {
                real.releaseLease(id, owner);
            }

            @Override
            public void requestCancel(JobId id) {
                real.requestCancel(id);
            }

            @Override
            public List<JobId> runnable(Instant now, String owner) {
                return real.runnable(now, owner);
            }

            @Override
            public List<JobStep> steps(JobId job) {
                return real.steps(job);
            }

            @Override
            public void putStep(JobStep step) {
                real.putStep(step);
            }

            @Override
            public void appendLog(JobId job, Instant at, String message) {
                real.appendLog(job, at, message);
            }

            @Override
            public List<JobLogEntry> log(JobId job) {
                return real.log(job);
            }
        };
    }
}
