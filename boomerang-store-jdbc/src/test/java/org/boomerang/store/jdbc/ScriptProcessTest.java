package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.StepState;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan script and the death of its server: the script runs in its own process group, recorded in
 * the step; after {@code kill -9} of the server the restarted server stops the group that is still
 * running before it replays the step, so the script never runs twice at once; on SIGTERM the server
 * stops the script's group and leaves the step to be replayed.
 */
class ScriptProcessTest {
    @TempDir
    Path dir;

    /**
     * The script notes "overlap" when an earlier run of itself is still alive, then "start PID"; its
     * first run records its pid and sleeps, a later run ends at once ("end PID").
     */
    private Path script() throws Exception {
        Path s = dir.resolve("script.sh");
        Files.writeString(s, """
                d=%s
                if [ -f $d/pid ] && kill -0 "$(cat $d/pid)" 2>/dev/null; then echo overlap >> $d/events; fi
                echo "start $$" >> $d/events
                if [ ! -f $d/once ]; then touch $d/once; echo $$ > $d/pid; sleep 300; fi
                echo "end $$" >> $d/events
                """.formatted(dir));
        return s;
    }

    private Process child(Path db, Path script, boolean hook) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ScriptPlanChild.class.getName(), db.toString(), script.toString(), hook ? "hook" : "no-hook")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private long awaitFirstRun(Process child) throws Exception {
        Path pid = dir.resolve("pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!(Files.exists(pid) && !Files.readString(pid).isBlank()) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.exists(pid)).as("the script started; child log:\n%s", Files.readString(dir.resolve("child.log"))).isTrue();
        return Long.parseLong(Files.readString(pid).strip());
    }

    /** The process group of a live process, from /proc/PID/stat (the field after the state). */
    private static long pgid(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[2]);
    }

    @Test
    void afterKillMinus9TheRestartedServerStopsTheScriptStillRunningBeforeTheReplay() throws Exception {
        Path db = dir.resolve("control.db");
        Process child = child(db, script(), false);
        long first;
        try {
            first = awaitFirstRun(child);
            assertThat(pgid(first)).as("the script leads its own process group").isEqualTo(first);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        ProcessHandle orphan = ProcessHandle.of(first).orElseThrow();
        assertThat(orphan.isAlive()).as("kill -9 of the server leaves the script running").isTrue();
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db))) {
            Job plan = store.jobs().list().stream().filter(j -> j.kind() == JobKind.PLAN_OPERATION).findFirst().orElseThrow();
            JobStep step = store.jobs().steps(plan.id()).getFirst();
            assertThat(step.state()).isEqualTo(StepState.STARTED);
            assertThat(step.detail()).startsWith("script-process ").contains("pgid=" + first);
        }

        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db));
                TestingEstate restarted = new TestingEstate(store, "node-a")) {
            Job plan = store.jobs().list().stream().filter(j -> j.kind() == JobKind.PLAN_OPERATION).findFirst().orElseThrow();
            // the script step is replayed; the item step after it fails on this JVM's fresh fake data plane
            // (no recovery points): what counts here is the script
            restarted.awaitEnd(plan.id());
            assertThat(store.jobs().steps(plan.id()).getFirst().state()).isIn(StepState.DONE, StepState.COMPENSATED);
            assertThat(orphan.isAlive()).isFalse();
            List<String> events = Files.readAllLines(dir.resolve("events"));
            assertThat(events).doesNotContain("overlap");
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isEqualTo("start " + first);
            assertThat(events.get(1)).startsWith("start ").isNotEqualTo(events.get(0));
            assertThat(events.get(2)).isEqualTo("end " + events.get(1).substring(6));
            assertThat(restarted.server.jobs().log(plan.id())).anyMatch(l -> l.message().contains(
                    "still runs (process group " + first + "): stopping it before the replay"));
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheScriptsGroupAndLeavesTheStepForTheNextServer() throws Exception {
        Path db = dir.resolve("control.db");
        Process child = child(db, script(), true);
        long first = awaitFirstRun(child);
        ProcessHandle script = ProcessHandle.of(first).orElseThrow();
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the script's group was stopped").isFalse();
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db))) {
            Job plan = store.jobs().list().stream().filter(j -> j.kind() == JobKind.PLAN_OPERATION).findFirst().orElseThrow();
            assertThat(plan.state()).isEqualTo(JobState.RUNNING);
            assertThat(plan.leaseOwner()).as("the lease was handed over").isEmpty();
            assertThat(store.jobs().steps(plan.id()).getFirst().state()).isEqualTo(StepState.STARTED);
            assertThat(store.jobs().log(plan.id())).anyMatch(l -> l.message().contains("interrupted by the shutdown"));
        }
    }
}
