package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.boomerang.dataplane.agent.Agent;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.SegmentedJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing enforced by the master target itself: a real agent → process server → master target on
 * loopback (gRPC, mutual TLS), qemu-io writing through the agent's NBD export. Once the master target's
 * epoch of the disk is raised above the agent's, the agent's stream is refused (FENCED, reported by the
 * agent), its later writes never reach the journal and stay in its dirty map, and a restart of every
 * role keeps the epoch, so the old agent is refused again.
 */
class FencingTest {
    static final long SIZE = 16L << 20;
    static final long EPOCH = 7;

    @TempDir
    Path dir;

    @Test
    void aRaisedEpochFencesTheOldAgentOffAndARestartedMasterTargetKeepsIt() throws Exception {
        Replication.Options options = Replication.Options.of("disk0", SIZE, null);
        Path journal;
        long durableBefore;
        try (Replication r = Replication.start(dir, options)) {
            String uri = r.nbdUri("disk0");
            TestingTools.ok(dir, "qemu-io", "-f", "raw", "-c", "write -P 0xab 0 1M", uri);
            assertThat(r.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();
            durableBefore = r.masterTarget().journal("disk0").orElseThrow().durableLsn().value();
            assertThat(r.agent().fenced("disk0")).isEmpty();

            assertThat(r.masterTarget().fence("disk0", EPOCH)).isEqualTo(EPOCH);
            String why = awaitFenced(r.agent());
            assertThat(why).contains("FENCED").contains("epoch 0").contains("at " + EPOCH);
            assertThat(gauge(r.agent(), "boomerang_agent_fenced")).isEqualTo(1.0);

            TestingTools.ok(dir, "qemu-io", "-f", "raw", "-c", "write -P 0xcd 2M 64k", uri);
            assertThat(r.agent().lastLsn("disk0")).as("the write was captured").isGreaterThan(durableBefore);
            assertThat(gauge(r.agent(), "boomerang_agent_lag_bytes")).as("the dirty map keeps the write").isGreaterThanOrEqualTo(64 << 10);
            assertThat(r.agent().replicated("disk0")).isFalse();
            journal = r.journalDirectory("disk0");
        }
        assertThat(Files.exists(dir.resolve("master-target").resolve("fencing").resolve("disk0"))).isTrue();
        assertReplicaHasOnlyTheFirstWrite(journal, durableBefore);

        try (Replication r = Replication.start(dir, options)) {
            assertThat(r.masterTarget().epoch("disk0")).as("the epoch survives a restart").isEqualTo(EPOCH);
            assertThat(awaitFenced(r.agent())).contains("FENCED");
            assertThat(gauge(r.agent(), "boomerang_agent_lag_bytes")).as("the dirty map still holds the write")
                    .isGreaterThanOrEqualTo(64 << 10);
        }
        assertReplicaHasOnlyTheFirstWrite(journal, durableBefore);
    }

    private static void assertReplicaHasOnlyTheFirstWrite(Path journal, long durableBefore) throws Exception {
        try (SegmentedJournal j = SegmentedJournal.open(journal, JournalOptions.defaults())) {
            assertThat(j.durableLsn().value()).as("nothing reached the journal after the fence").isEqualTo(durableBefore);
        }
        byte[] replica = TestingTools.replica(journal, null);
        byte[] ab = new byte[1 << 20];
        Arrays.fill(ab, (byte) 0xab);
        assertThat(Arrays.equals(replica, 0, 1 << 20, ab, 0, 1 << 20)).isTrue();
        assertThat(Arrays.equals(replica, 2 << 20, (2 << 20) + (64 << 10), new byte[64 << 10], 0, 64 << 10))
                .as("the fenced agent's write is not in the replica").isTrue();
    }

    private static double gauge(Agent agent, String name) {
        return agent.metrics().registry().get(name).tag("disk", "disk0").gauge().value();
    }

    private static String awaitFenced(Agent agent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (agent.fenced("disk0").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the agent was not fenced off");
            }
            Thread.sleep(20);
        }
        return agent.fenced("disk0").orElseThrow();
    }
}
