package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.common.Clock;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandler;
import org.boomerang.control.job.JobHandlers;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRunner;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.control.plan.PlanJobRequest;
import org.boomerang.control.plan.PlanOperation;
import org.boomerang.control.store.ControlStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control servers on one database lease jobs: each with its own connection pool and runner,
 * both racing for the same jobs and both polling. Every step of every job runs exactly once.
 */
class JobLeasingTest {
    /** Counts, per job and step, how often it ran; shared by both servers as a real data plane's effects would be. */
    static class CountingHandler implements JobHandler {
        private final String node;
        private final Map<String, AtomicInteger> runsShared;
        private final Map<String, String> ranOnShared;

        CountingHandler(String node, Map<String, AtomicInteger> runs, Map<String, String> ranOn) {
            this.node = node;
            this.runsShared = runs;
            this.ranOnShared = ranOn;
        }

        @Override
        public List<Step> steps(Job job) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                steps.add(NamedStep.of("s" + n, ctx -> {
                    runsShared.computeIfAbsent(ctx.requestId().text(), k -> new AtomicInteger()).incrementAndGet();
                    ranOnShared.put(job.id().value(), node);
                }));
            }
            return steps;
        }

        @Override
        public boolean cancellable(Job job) {
            return false;
        }

        @Override
        public JobId restart(Job failed) {
            return failed.id();
        }
    }

    abstract static class Suite {
        private final List<AutoCloseable> open = new ArrayList<>();

        abstract DatabaseConfig config();

        @AfterEach
        void closeAll() throws Exception {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            open.clear();
        }

        @Test
        void twoServersOnOneDatabaseNeverRunAJobTwice() {
            DatabaseConfig config = config();
            JdbcControlStore a = JdbcControlStore.open(config);
            open.add(a);
            JdbcControlStore b = JdbcControlStore.open(config);
            open.add(b);
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            Map<String, String> ranOn = new ConcurrentHashMap<>();
            JobRunner runnerA = runner(a, "server-a", runs, ranOn);
            JobRunner runnerB = runner(b, "server-b", runs, ranOn);

            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Job job = Job.queued(JobId.random(), new PlanJobRequest(ControlStoreContract.samplePlan(), PlanOperation.COMMIT,
                        Optional.empty()), Clock.SYSTEM.now(), Optional.empty(), Optional.empty());
                a.jobs().create(job);
                ids.add(job.id());
            }
            runnerA.startPolling(Duration.ofMillis(20));
            runnerB.startPolling(Duration.ofMillis(20));
            for (JobId id : ids) {
                runnerB.submit(id);
                runnerA.submit(id);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && ids.stream().anyMatch(id -> a.jobs().get(id).orElseThrow().state() != JobState.SUCCEEDED)) {
                Thread.onSpinWait();
            }
            for (JobId id : ids) {
                assertThat(a.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
                for (int s = 0; s < 3; s++) {
                    assertThat(runs.get(id + ":" + s)).as("step %d of job %s", s, id).hasValue(1);
                }
            }
            assertThat(runs).hasSize(ids.size() * 3);
        }

        /**
         * Server A takes a job with a short lease ({@link #A_LEASE}) and then stalls inside a long step without renewing (a
         * paused or partitioned server). Server B, whose own clock is an hour ahead, may take the job only
         * once the lease expired on the database's clock; it gets the next epoch and runs the step. When A
         * wakes up, its next lease check stops the step before its second effect.
         */
        /** Long enough for server A to reach its step on a loaded machine, short enough for the test. */
        static final Duration A_LEASE = Duration.ofSeconds(4);

        @Test
        void aStepWhoseLeaseWasLostStopsBeforeItsNextEffectAndTheNewHolderHasAHigherEpoch() throws Exception {
            DatabaseConfig config = config();
            JdbcControlStore a = JdbcControlStore.open(config);
            open.add(a);
            JdbcControlStore b = JdbcControlStore.open(config);
            open.add(b);
            List<String> effects = new java.util.concurrent.CopyOnWriteArrayList<>();
            Map<String, Instant> firstAt = new ConcurrentHashMap<>();
            Map<String, Instant> leaseUntil = new ConcurrentHashMap<>();
            java.util.concurrent.CountDownLatch aStalled = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch wakeA = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Throwable> aStopped = new java.util.concurrent.atomic.AtomicReference<>();
            JobHandler longStep = new CountingHandler("-", new ConcurrentHashMap<>(), new ConcurrentHashMap<>()) {
                @Override
                public List<Step> steps(Job job) {
                    return List.of(NamedStep.of("long step", ctx -> {
                        String node = ctx.lease().owner();
                        ctx.checkLease();
                        effects.add("first by " + node + " at epoch " + ctx.lease().epoch());
                        firstAt.put(node, Instant.now());
                        leaseUntil.put(node, ctx.lease().until());
                        if (node.equals("server-a")) {
                            aStalled.countDown();
                            try {
                                wakeA.await();
                                ctx.checkLease();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            } catch (RuntimeException e) {
                                aStopped.set(e);
                                throw e;
                            }
                        }
                        effects.add("second by " + node + " at epoch " + ctx.lease().epoch());
                    }));
                }
            };
            JobHandlers ha = new JobHandlers();
            ha.register(JobKind.PLAN_OPERATION, longStep);
            JobHandlers hb = new JobHandlers();
            hb.register(JobKind.PLAN_OPERATION, longStep);
            JobRunner runnerA = new JobRunner(a.jobs(), ha, Clock.SYSTEM, "server-a", A_LEASE);
            open.add(runnerA);
            Clock anHourAhead = new Clock() {
                @Override
                public Instant now() {
                    return Instant.now().plus(Duration.ofHours(1));
                }

                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }
            };
            JobRunner runnerB = new JobRunner(b.jobs(), hb, anHourAhead, "server-b", Duration.ofSeconds(30));
            open.add(runnerB);

            Job job = Job.queued(JobId.random(), new PlanJobRequest(ControlStoreContract.samplePlan(), PlanOperation.COMMIT,
                    Optional.empty()), Clock.SYSTEM.now(), Optional.empty(), Optional.empty());
            a.jobs().create(job);
            runnerA.submit(job.id()); // A never polls, so it never renews
            assertThat(aStalled.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            runnerB.startPolling(Duration.ofMillis(20));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && a.jobs().get(job.id()).orElseThrow().state() != JobState.SUCCEEDED) {
                Thread.sleep(20);
            }
            assertThat(a.jobs().get(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(firstAt.get("server-b")).as("B waited for A's lease to expire on the database's clock, not its own (an hour ahead)")
                    .isAfterOrEqualTo(leaseUntil.get("server-a").minusMillis(100));
            assertThat(Duration.between(firstAt.get("server-a"), leaseUntil.get("server-a"))).as("A's lease: %s from the database's now", A_LEASE)
                    .isLessThanOrEqualTo(A_LEASE);

            wakeA.countDown();
            while (runnerA.isRunning(job.id())) {
                Thread.sleep(10);
            }
            assertThat(aStopped.get()).isInstanceOfSatisfying(org.boomerang.common.BoomerangException.class,
                    e -> assertThat(e.code()).isEqualTo(org.boomerang.control.ControlError.LEASE_LOST));
            assertThat(effects).as("A's second effect never happened").containsExactly("first by server-a at epoch 1",
                    "first by server-b at epoch 2", "second by server-b at epoch 2");
            assertThat(a.jobs().get(job.id()).orElseThrow().state()).as("A neither failed nor compensated it").isEqualTo(JobState.SUCCEEDED);
            assertThat(a.jobs().log(job.id())).anyMatch(l -> l.message().contains("server-b (lease epoch 2)"));
        }

        private JobRunner runner(JdbcControlStore store, String node, Map<String, AtomicInteger> runs, Map<String, String> ranOn) {
            JobHandlers handlers = new JobHandlers();
            handlers.register(JobKind.PLAN_OPERATION, new CountingHandler(node, runs, ranOn));
            JobRunner r = new JobRunner(store.jobs(), handlers, Clock.SYSTEM, node, Duration.ofSeconds(30));
            open.add(r);
            return r;
        }
    }

    @Nested
    class OnSqlite extends Suite {
        @TempDir
        Path dir;

        @Override
        DatabaseConfig config() {
            return DatabaseConfig.forDataDir(dir);
        }
    }

    @Nested
    class OnPostgres extends Suite {
        private DatabaseConfig config;

        @Override
        DatabaseConfig config() {
            config = PgTestDatabase.freshSchema();
            return config;
        }

        @AfterEach
        void dropSchema() throws Exception {
            closeAll();
            PgTestDatabase.drop(config);
        }
    }
}
