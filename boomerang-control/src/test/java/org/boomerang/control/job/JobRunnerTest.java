package org.boomerang.control.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner against a scripted handler: durable steps, compensation, cancel, pause and resume, takeover after a crash. */
class JobRunnerTest {
    private final TestingClock clock = new TestingClock();
    private final InMemoryControlStore store = new InMemoryControlStore(clock);
    private final JobHandlers handlers = new JobHandlers();
    private final ScriptedHandler handler = new ScriptedHandler();
    private final JobRunner runner = new JobRunner(store.jobs(), handlers, clock, "node-a", Duration.ofSeconds(30));
    private final JobService service = new JobService(store.jobs(), handlers, runner, clock);

    JobRunnerTest() {
        handlers.register(JobKind.ITEM_OPERATION, handler);
    }

    @AfterEach
    void close() {
        runner.close();
    }

    record TestRequest(String target) implements JobRequest {
        @Override
        public JobKind kind() {
            return JobKind.ITEM_OPERATION;
        }

        @Override
        public String describe() {
            return "test job " + target;
        }
    }

    /** Steps a, b, c (and optionally a manual step) that record what ran and was undone. */
    static final class ScriptedHandler implements JobHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Set<String> failAt = ConcurrentHashMap.newKeySet();
        final Set<String> ioFailAt = ConcurrentHashMap.newKeySet();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();
        volatile CountDownLatch holdB;
        volatile boolean manual;

        @Override
        public List<Step> steps(Job job) {
            Step a = NamedStep.of("a", ctx -> run("a", ctx), ctx -> events.add("undo a"));
            Step b = NamedStep.of("b", ctx -> {
                CountDownLatch h = holdB;
                if (h != null) {
                    try {
                        h.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                run("b", ctx);
            }, ctx -> events.add("undo b"));
            Step c = NamedStep.of("c", ctx -> run("c", ctx), ctx -> events.add("undo c"));
            Step m = NamedStep.of("manual", ctx -> ctx.waitForOperator("check the firewall"));
            return manual ? List.of(a, m, b, c) : List.of(a, b, c);
        }

        private void run(String name, StepContext ctx) {
            events.add(name + " " + ctx.requestId());
            ctx.log("ran " + name);
            if (failAt.contains(name)) {
                throw new BoomerangException(ControlError.STEP_FAILED, name + " failed", "retry");
            }
            if (ioFailAt.contains(name)) {
                // What a data-plane library throws when a disk or file fails under it.
                throw new java.io.UncheckedIOException(new java.nio.file.FileSystemException("/srv/replica/disk-0", null, "No space left on device"));
            }
        }

        @Override
        public void succeeded(Job job) {
            succeeded.incrementAndGet();
        }

        @Override
        public void failed(Job job, BoomerangException error) {
            failed.incrementAndGet();
        }

        @Override
        public void cancelled(Job job) {
            cancelled.incrementAndGet();
        }

        @Override
        public boolean cancellable(Job job) {
            return true;
        }

        @Override
        public JobId restart(Job failedJob) {
            return failedJob.id();
        }
    }

    private Job submit() {
        Job job = Job.queued(JobId.random(), new TestRequest("t"), clock.now(), Optional.empty(), Optional.empty());
        store.jobs().create(job);
        runner.submit(job.id());
        return job;
    }

    private Job await(JobId id, JobState state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Job j = store.jobs().get(id).orElseThrow();
            if (j.state() == state && !runner.isRunning(id)) {
                // Read again: j may predate the runner's last write (the lease it gives up after the
                // final state), which is done once the runner no longer counts the job as running.
                return store.jobs().get(id).orElseThrow();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("job did not reach " + state + ": " + store.jobs().get(id).orElseThrow().state());
    }

    @Test
    void stepsRunInOrderAndAreRecordedDone() {
        Job job = submit();
        Job done = await(job.id(), JobState.SUCCEEDED);
        assertThat(handler.events).containsExactly("a " + job.id() + ":0", "b " + job.id() + ":1", "c " + job.id() + ":2");
        assertThat(store.jobs().steps(job.id())).extracting(JobStep::state).containsOnly(StepState.DONE);
        assertThat(done.progress().percent()).isEqualTo(100);
        assertThat(done.leaseOwner()).isEmpty();
        assertThat(store.jobs().log(job.id())).extracting(JobLogEntry::message).contains("a: ran a", "succeeded");
        assertThat(handler.succeeded).hasValue(1);
    }

    @Test
    void aFailingStepCompensatesEveryStartedStepInReverse() {
        handler.failAt.add("c");
        Job job = submit();
        Job failed = await(job.id(), JobState.FAILED);
        assertThat(handler.events).endsWith("undo c", "undo b", "undo a");
        assertThat(failed.error().orElseThrow().code()).isEqualTo("STEP_FAILED");
        assertThat(store.jobs().steps(job.id())).extracting(JobStep::state).containsOnly(StepState.COMPENSATED);
        assertThat(handler.failed).hasValue(1);
    }

    @Test
    void aRawIoFailureInAStepFailsTheJobWithATypedExternalErrorNamingTheFile() {
        handler.ioFailAt.add("b");
        Job job = submit();
        Job failed = await(job.id(), JobState.FAILED);
        JobError error = failed.error().orElseThrow();
        assertThat(error.code()).isEqualTo("IO_FAILED");
        assertThat(error.category()).isEqualTo(org.boomerang.common.ErrorType.EXTERNAL);
        assertThat(error.message()).isEqualTo("step 'b': I/O failed: /srv/replica/disk-0: No space left on device")
                .doesNotContain("Exception");
        assertThat(error.hint()).contains("space").contains("retry");
        assertThat(handler.events).endsWith("undo b", "undo a");
    }

    @Test
    void cancelStopsBetweenStepsAndCompensates() {
        handler.holdB = new CountDownLatch(1);
        Job job = submit();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (store.jobs().steps(job.id()).size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        service.cancel(job.id());
        handler.holdB.countDown();
        await(job.id(), JobState.CANCELLED);
        assertThat(handler.events).doesNotContain("c " + job.id() + ":2");
        assertThat(handler.events).endsWith("undo b", "undo a");
        assertThat(handler.cancelled).hasValue(1);
        assertThat(catchThrowableOfType(BoomerangException.class, () -> service.cancel(job.id())).code())
                .isEqualTo(ControlError.JOB_NOT_CANCELLABLE);
    }

    @Test
    void aManualStepPausesUntilAnOperatorResumes() {
        handler.manual = true;
        Job job = submit();
        Job paused = await(job.id(), JobState.WAITING_FOR_OPERATOR);
        assertThat(paused.leaseOwner()).isEmpty();
        assertThat(handler.events).containsExactly("a " + job.id() + ":0");
        assertThat(store.jobs().steps(job.id()).get(1).state()).isEqualTo(StepState.WAITING);
        assertThat(store.jobs().steps(job.id()).get(1).detail()).isEqualTo("check the firewall");
        runner.pollOnce();
        assertThat(store.jobs().get(job.id()).orElseThrow().state()).isEqualTo(JobState.WAITING_FOR_OPERATOR);

        service.resume(job.id());
        await(job.id(), JobState.SUCCEEDED);
        assertThat(handler.events).containsExactly("a " + job.id() + ":0", "b " + job.id() + ":2", "c " + job.id() + ":3");
        assertThat(catchThrowableOfType(BoomerangException.class, () -> service.resume(job.id())).code())
                .isEqualTo(ControlError.JOB_NOT_WAITING);
    }

    @Test
    void aJobLeftRunningByADeadServerIsResumedSkippingDoneStepsAndReplayingTheStartedOne() {
        Job job = Job.queued(JobId.random(), new TestRequest("t"), clock.now(), Optional.empty(), Optional.empty());
        store.jobs().create(job);
        // what a server that died in step b left behind
        assertThat(store.jobs().acquireLease(job.id(), "node-dead", Duration.ofSeconds(30))).isPresent();
        store.jobs().update(store.jobs().get(job.id()).orElseThrow().withState(JobState.RUNNING, clock.now()));
        store.jobs().putStep(new JobStep(job.id(), 0, "a", RequestId.of(job.id(), 0), StepState.DONE, "", clock.now()));
        store.jobs().putStep(new JobStep(job.id(), 1, "b", RequestId.of(job.id(), 1), StepState.STARTED, "", clock.now()));

        runner.pollOnce();
        assertThat(store.jobs().get(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(handler.events).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        runner.pollOnce();
        await(job.id(), JobState.SUCCEEDED);
        assertThat(handler.events).containsExactly("b " + job.id() + ":1", "c " + job.id() + ":2");
    }

    @Test
    void twoRunnersOnOneStoreNeverRunAJobTwice() {
        try (JobRunner other = new JobRunner(store.jobs(), handlers, clock, "node-b", Duration.ofSeconds(30))) {
            List<JobId> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Job job = Job.queued(JobId.random(), new TestRequest("t" + i), clock.now(), Optional.empty(), Optional.empty());
                store.jobs().create(job);
                ids.add(job.id());
            }
            for (JobId id : ids) {
                runner.submit(id);
                other.submit(id);
            }
            for (JobId id : ids) {
                await(id, JobState.SUCCEEDED);
            }
            while (ids.stream().anyMatch(other::isRunning)) {
                Thread.onSpinWait();
            }
            for (JobId id : ids) {
                assertThat(handler.events.stream().filter(e -> e.equals("a " + id + ":0"))).hasSize(1);
            }
            assertThat(handler.succeeded).hasValue(ids.size());
        }
    }

    @Test
    void leasesAreExclusiveUntilTheyExpire() {
        Job job = Job.queued(JobId.random(), new TestRequest("t"), clock.now(), Optional.empty(), Optional.empty());
        store.jobs().create(job);
        JobLease x = store.jobs().acquireLease(job.id(), "x", Duration.ofSeconds(10)).orElseThrow();
        assertThat(store.jobs().acquireLease(job.id(), "y", Duration.ofSeconds(10))).isEmpty();
        assertThat(store.jobs().renewLease(x, Duration.ofSeconds(20))).isPresent();
        clock.advance(Duration.ofSeconds(21));
        assertThat(store.jobs().holds(x)).isFalse();
        JobLease y = store.jobs().acquireLease(job.id(), "y", Duration.ofSeconds(40)).orElseThrow();
        assertThat(y.epoch()).isGreaterThan(x.epoch());
    }
}
