package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
    static final class CountingHandler implements JobHandler {
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
