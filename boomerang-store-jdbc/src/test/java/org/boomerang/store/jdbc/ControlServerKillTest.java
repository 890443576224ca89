package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.job.StepState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the control server mid-job, then resume: a child JVM runs a control server on a SQLite
 * file and is killed (destroyForcibly) inside the initial sync of an enable job; reopened here, the
 * job resumes, skips its done step, replays the interrupted one with the same request id, and
 * finishes. The data plane saw each effect once.
 */
class ControlServerKillTest {
    @TempDir
    Path dir;

    @Test
    void killMinus9MidJobThenResume() throws Exception {
        Path db = dir.resolve("control.db");
        Path effects = dir.resolve("effects.log");
        Path marker = dir.resolve("in-sync");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ControlServerChild.class.getName(), db.toString(), effects.toString(), marker.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.exists(marker)).as("child reached the sync; its log:\n%s",
                    Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Job left;
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db))) {
            List<Job> jobs = store.jobs().list();
            assertThat(jobs).hasSize(1);
            left = jobs.getFirst();
            assertThat(left.state()).isEqualTo(JobState.RUNNING);
            assertThat(left.leaseOwner()).contains("node-a");
            assertThat(store.jobs().steps(left.id())).extracting(JobStep::state).containsExactly(StepState.DONE, StepState.STARTED);
            assertThat(store.items().get(new ItemId("web")).orElseThrow().state()).isEqualTo(ItemState.INITIAL_SYNC);
        }

        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db));
                TestingEstate restarted = new TestingEstate(store, "node-a", dp -> dp.recordEffectsTo(effects))) {
            Job done = restarted.await(left, JobState.SUCCEEDED);
            assertThat(done.id()).isEqualTo(left.id());
            assertThat(restarted.item("web").state()).isEqualTo(ItemState.PROTECTED);
            assertThat(restarted.store.jobs().steps(left.id())).extracting(JobStep::state).containsOnly(StepState.DONE);
            // the replication start done before the kill was not repeated; the interrupted sync ran once
            assertThat(restarted.dataPlane.effects(RequestId.of(left.id(), 0))).isEqualTo(1);
            assertThat(restarted.dataPlane.effects(RequestId.of(left.id(), 1))).isEqualTo(1);
            assertThat(restarted.dataPlane.calls()).containsExactly("sync " + PairId.forward(new ItemId("web")) + " FULL");
            assertThat(Files.readAllLines(effects)).containsExactly(left.id() + ":0", left.id() + ":1");
        }
    }
}
