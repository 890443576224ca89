package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.boomerang.common.DiskId;
import org.boomerang.dataplane.agent.Agent;
import org.boomerang.dataplane.agent.AgentConfig;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.mastertarget.MasterTarget;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import org.boomerang.dataplane.processserver.ProcessServer;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import org.boomerang.journal.JournalOptions;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections cut in the middle of a record: a TCP proxy sits between the agent and the process server
 * and another between the process server and the master target; under NBD write load each cuts its
 * connections after a random number of bytes (inside a TLS record, an HTTP/2 frame, a replication
 * record). After each cut replication resumes on its own and the replica's latest point becomes a prefix
 * state holding every write acknowledged before the cut; at the end it equals the agent's image.
 */
class ReplicationProxyCutTest {
    static final long DISK = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void cutsInTheMiddleOfARecordLoseNothing() throws Exception {
        long seed = Long.getLong("cut.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("ReplicationProxyCutTest: seed " + seed);
        Path certs = dir.resolve("certs");
        CertificateAuthority.initDirectory(certs, Set.of());
        Endpoint any = new Endpoint("127.0.0.1", 0);
        Path journal;
        Agent agent = null;
        ProcessServer ps = null;
        MasterTarget mt = MasterTarget.start(new MasterTargetConfig(CertificateAuthority.MASTER_TARGET, any, dir.resolve("mt"),
                TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET), any, JournalOptions.DEFAULT_SEGMENT_BYTES));
        try (CuttingProxy toMt = new CuttingProxy(mt.port())) {
            ps = ProcessServer.start(new ProcessServerConfig(CertificateAuthority.PROCESS_SERVER, any, dir.resolve("ps-cache"), 1L << 30, 3,
                    List.of(new ProcessServerConfig.Route(new Endpoint("127.0.0.1", toMt.port()), List.of("*"))),
                    TlsFiles.inDirectory(certs, CertificateAuthority.PROCESS_SERVER), any));
            try (CuttingProxy toPs = new CuttingProxy(ps.port())) {
                agent = Agent.start(new AgentConfig(CertificateAuthority.AGENT, any, new Endpoint("127.0.0.1", toPs.port()),
                        dir.resolve("agent-state"), List.of(new AgentConfig.Disk(new DiskId("disk0"), dir.resolve("disk0.img"), DISK)),
                        Duration.ofMillis(100), CaptureOptions.defaults(), TlsFiles.inDirectory(certs, CertificateAuthority.AGENT), any));
                journal = mt.config().journalDirectory("disk0");
                Agent a = agent;
                try (WriteLoad load = new WriteLoad(() -> "nbd://127.0.0.1:" + a.nbdPort() + "/disk0", ReplicationCrashTest.REGION, 16,
                        seed, 200).start()) {
                    for (int round = 1; round <= 6; round++) {
                        CuttingProxy proxy = round % 2 == 1 ? toPs : toMt;
                        Thread.sleep(200 + random.nextInt(400));
                        int cutsBefore = proxy.cuts();
                        long bytes = 1 + random.nextInt(256 << 10);
                        proxy.cutAfter(bytes);
                        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (proxy.cuts() == cutsBefore) {
                            assertThat(System.nanoTime()).as("the proxy saw %d more bytes within 30 s", bytes).isLessThan(deadline);
                            Thread.sleep(5);
                        }
                        int before = load.acknowledged();
                        int k = ReplicationCrashTest.awaitPrefix(journal, load, before - 1, Duration.ofSeconds(60));
                        System.out.printf("cut %d: %s after %d more bytes with %d writes acknowledged; the latest point holds #0..#%d%n",
                                round, proxy == toPs ? "agent -> process server" : "process server -> master target", bytes, before, k);
                    }
                    int total = load.stop();
                    assertThat(ReplicationCrashTest.awaitPrefix(journal, load, total - 1, Duration.ofSeconds(60)))
                            .as("the latest point holds every acknowledged write").isEqualTo(total - 1);
                }
                assertThat(agent.metrics().registry().get("boomerang_agent_reconnects").functionCounter().count())
                        .as("the agent reconnected after each cut").isGreaterThanOrEqualTo(3);
                assertThat(ps.metrics().registry().get("boomerang_process_server_reconnects").functionCounter().count())
                        .as("the process server reconnected after each cut").isGreaterThanOrEqualTo(3);
                agent.close();
                agent = null;
            }
            ps.close();
            ps = null;
        } finally {
            if (agent != null) {
                agent.close();
            }
            if (ps != null) {
                ps.close();
            }
            mt.close();
        }
        ReplicationCrashTest.assertReplicaEqualsImage(journal, dir.resolve("disk0.img"));
    }
}
