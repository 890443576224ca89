package org.boomerang.dataplane.roles;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

/**
 * The three data-plane roles in one process (the embedded default, and the tests' way to run them):
 * a master target, a process server and an agent on 127.0.0.1, talking over their real protocols —
 * gRPC with mutual TLS, certificates made under {@code dir/certs} — on ports picked free. The agent
 * serves its disks' block digests and the master target its journals' ({@code digests.proto}).
 *
 * <p>Layout under {@code dir}: {@code certs/}, {@code agent/state/}, {@code agent/<disk>.img} (created
 * sparse when absent), {@code process-server/cache/}, {@code master-target/journals/<disk>}.
 *
 * <p>Lifecycle: {@link #start} starts master target, process server, then agent; {@link #close} stops
 * them in the reverse order.
 */
public final class Replication implements AutoCloseable {
    private final Path dir;
    private final MasterTarget masterTarget;
    private final ProcessServer processServer;
    private final Agent agent;

    private Replication(Path dir, MasterTarget masterTarget, ProcessServer processServer, Agent agent) {
        this.dir = dir;
        this.masterTarget = masterTarget;
        this.processServer = processServer;
        this.agent = agent;
    }

    /** What to protect and how. */
    public record Options(List<AgentConfig.Disk> disks, Duration markerEvery, CaptureOptions capture, long cacheMaxBytes) {
        public Options {
            disks = List.copyOf(disks);
            requireNonNull(capture, "capture is null");
        }

        /** One disk {@code id} of {@code size} bytes, a crash marker every {@code markerEvery} (null: none), default capture. */
        public static Options of(String id, long size, Duration markerEvery) {
            return new Options(List.of(new AgentConfig.Disk(new org.boomerang.common.DiskId(id), Path.of(id + ".img"), size)),
                    markerEvery, CaptureOptions.defaults(), 1L << 30);
        }
    }

    public static Replication start(Path dir, Options options) throws IOException {
        Path certs = dir.resolve("certs");
        CertificateAuthority.initDirectory(certs, Set.of());
        Endpoint any = new Endpoint("127.0.0.1", 0);
        MasterTarget mt = MasterTarget.start(new MasterTargetConfig(CertificateAuthority.MASTER_TARGET, any,
                dir.resolve("master-target"), TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET), any,
                JournalOptions.DEFAULT_SEGMENT_BYTES));
        ProcessServer ps = null;
        try {
            ps = ProcessServer.start(new ProcessServerConfig(CertificateAuthority.PROCESS_SERVER, any,
                    dir.resolve("process-server").resolve("cache"), options.cacheMaxBytes(), 3,
                    List.of(new ProcessServerConfig.Route(new Endpoint("127.0.0.1", mt.port()), List.of("*"))),
                    TlsFiles.inDirectory(certs, CertificateAuthority.PROCESS_SERVER), any));
            List<AgentConfig.Disk> disks = options.disks().stream()
                    .map(d -> new AgentConfig.Disk(d.id(), dir.resolve("agent").resolve(d.image()), d.size())).toList();
            Agent agent = Agent.start(new AgentConfig(CertificateAuthority.AGENT, any, new Endpoint("127.0.0.1", ps.port()),
                    dir.resolve("agent").resolve("state"), disks, options.markerEvery(), options.capture(),
                    TlsFiles.inDirectory(certs, CertificateAuthority.AGENT), any, any));
            return new Replication(dir, mt, ps, agent);
        } catch (IOException | RuntimeException e) {
            if (ps != null) {
                ps.close();
            }
            mt.close();
            throw e;
        }
    }

    public Agent agent() {
        return agent;
    }

    public ProcessServer processServer() {
        return processServer;
    }

    public MasterTarget masterTarget() {
        return masterTarget;
    }

    /** The NBD URI of a protected disk. */
    public String nbdUri(String disk) {
        return "nbd://127.0.0.1:" + agent.nbdPort() + "/" + disk;
    }

    /** The replica journal directory of a disk. */
    public Path journalDirectory(String disk) {
        return masterTarget.config().journalDirectory(disk);
    }

    /** The local image of a protected disk. */
    public Path image(String disk) {
        return dir.resolve("agent").resolve(disk + ".img");
    }

    /**
     * Waits until every change the agent captured of {@code disk} so far is durable at the master target;
     * false when {@code timeout} passed first.
     */
    public boolean awaitReplicated(String disk, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!agent.replicated(disk)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        agent.close();
        processServer.close();
        masterTarget.close();
    }
}
