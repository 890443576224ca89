package org.boomerang.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import org.boomerang.control.store.ControlStore;
import org.boomerang.control.store.ControlStoreContract;
import org.boomerang.control.testing.InMemoryControlStore;

/**
 * Benchmark (run by {@code bench/control-jobs.sh}, not a test): how many durable jobs of four steps
 * per second the job runner completes on the in-memory store, a SQLite file and PostgreSQL,
 * alternating the stores, repeated; prints each run, the medians and the ratios.
 *
 * <p>Arguments: JOBS REPEATS DIR [POSTGRES_URL]
 */
public final class JobThroughputBench {
    private static final int STEPS = 4;

    private JobThroughputBench() {}

    interface StoreFactory {
        ControlStore open(int run) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        String pg = args.length > 3 ? args[3] : null;
        List<String> names = new ArrayList<>(List.of("in-memory", "sqlite"));
        List<StoreFactory> factories = new ArrayList<>(List.of(
                run -> new InMemoryControlStore(),
                run -> JdbcControlStore.open(DatabaseConfig.sqlite(Files.createDirectories(dir.resolve("run" + run)).resolve("control.db")))));
        List<DatabaseConfig> schemas = new ArrayList<>();
        if (pg != null) {
            names.add("postgresql");
            factories.add(run -> {
                DatabaseConfig c = DatabaseConfig.url(pg).withSchema("bench_" + ProcessHandle.current().pid() + "_" + run);
                schemas.add(c);
                return JdbcControlStore.open(c);
            });
        }
        double[][] rates = new double[names.size()][repeats];
        int run = 0;
        for (int s = 0; s < names.size(); s++) {
            try (ControlStore store = factories.get(s).open(run++)) {
                System.out.printf(Locale.ROOT, "warm-up %-10s %8.1f jobs/s (not counted)%n", names.get(s), measure(store, Math.max(1, jobs / 4)));
            }
        }
        for (int r = 0; r < repeats; r++) {
            for (int s = 0; s < names.size(); s++) {
                try (ControlStore store = factories.get(s).open(run++)) {
                    rates[s][r] = measure(store, jobs);
                }
                System.out.printf(Locale.ROOT, "run %d %-10s %8.1f jobs/s (%d jobs x %d durable steps)%n", r + 1, names.get(s), rates[s][r], jobs, STEPS);
            }
        }
        for (DatabaseConfig c : schemas) {
            PgTestDatabase.drop(c);
        }
        System.out.println();
        double base = median(rates[0]);
        for (int s = 0; s < names.size(); s++) {
            double m = median(rates[s]);
            System.out.printf(Locale.ROOT, "median %-10s %8.1f jobs/s  %8.1f steps/s  ratio to in-memory %.3f%n", names.get(s), m, m * STEPS, m / base);
        }
        if (pg != null) {
            System.out.printf(Locale.ROOT, "ratio sqlite/postgresql %.2f%n", median(rates[1]) / median(rates[2]));
        }
    }

    private static double measure(ControlStore store, int jobs) throws InterruptedException {
        JobHandlers handlers = new JobHandlers();
        AtomicInteger stepsRun = new AtomicInteger();
        handlers.register(JobKind.PLAN_OPERATION, new JobHandler() {
            @Override
            public List<Step> steps(Job job) {
                List<Step> steps = new ArrayList<>();
                for (int i = 0; i < STEPS; i++) {
                    steps.add(NamedStep.of("s" + i, ctx -> stepsRun.incrementAndGet()));
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
        });
        List<JobId> ids = new ArrayList<>();
        PlanJobRequest request = new PlanJobRequest(ControlStoreContract.samplePlan(), PlanOperation.COMMIT, Optional.empty());
        for (int i = 0; i < jobs; i++) {
            Job job = Job.queued(JobId.random(), request, Clock.SYSTEM.now(), Optional.empty(), Optional.empty());
            store.jobs().create(job);
            ids.add(job.id());
        }
        long start = System.nanoTime();
        try (JobRunner runner = new JobRunner(store.jobs(), handlers, Clock.SYSTEM, "bench", Duration.ofSeconds(60))) {
            ids.forEach(runner::submit);
            for (JobId id : ids) {
                while (store.jobs().get(id).orElseThrow().state() != JobState.SUCCEEDED || runner.isRunning(id)) {
                    Thread.sleep(1);
                }
            }
        }
        long took = System.nanoTime() - start;
        if (stepsRun.get() != jobs * STEPS) {
            throw new IllegalStateException("ran " + stepsRun.get() + " steps, expected " + jobs * STEPS);
        }
        return jobs / (took / 1e9);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
