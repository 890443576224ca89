package org.boomerang.dataplane.site;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.boomerang.dataplane.agent.SiteAgent;
import org.boomerang.dataplane.mastertarget.MasterTarget;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import org.boomerang.dataplane.processserver.ProcessServer;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import org.boomerang.dataplane.roles.Endpoint;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.TlsFiles;

/**
 * The three roles of one site on loopback: its master target (journals of the disks replicated to this
 * site), its process server (relays this site's streams to the master target of the site each stream is
 * for) and its agent (serves and protects this site's disks). They talk over their real protocols: gRPC
 * with mutual TLS, certificates from one authority. The agent runs in this process; the master target
 * and the process server run here too or each in a child process ({@link RoleHosting}).
 *
 * <p>Layout under {@code dir}: {@code master-target/journals/<stream>}, {@code process-server/cache/},
 * {@code capture/<stream>/} (the agent's capture states); for child processes also
 * {@code <role>.yaml} (the generated config) and {@code <role>.log} (the child's output).
 */
record SitePlane(String site, Path dir, SiteMasterTarget masterTarget, SiteProcessServer processServer, SiteAgent agent) {
    static final String LOOPBACK = "127.0.0.1";
    /** The process server's cache, as {@code cache.max-size} says. */
    static final long CACHE_BYTES = 1L << 30;

    /** Starts the site's master target alone (every site's master target must listen before any process server starts). */
    static SiteMasterTarget startMasterTarget(String site, Path dir, Path certs, RoleHosting hosting, long segmentBytes) throws IOException {
        Path data = dir.resolve("master-target");
        TlsFiles tls = TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET);
        return switch (hosting) {
            case RoleHosting.InProcess in -> new SiteMasterTarget.Embedded(MasterTarget.start(new MasterTargetConfig(
                    CertificateAuthority.MASTER_TARGET, new Endpoint(LOOPBACK, 0), data, tls, null, segmentBytes)));
            case RoleHosting.ChildProcesses child -> new SiteMasterTarget.Child(RoleProcess.start(site, ChildRole.MASTER_TARGET,
                    child.command(), dir, port -> "name: " + CertificateAuthority.MASTER_TARGET + "\n"
                            + "listen: " + LOOPBACK + ":" + port + "\n"
                            + "data: " + quoted(data) + "\n"
                            + "journal: {segment-size: " + segmentBytes + "}\n"
                            + tlsYaml(tls)), data);
        };
    }

    /** Starts the process server (routing {@code <site>.*} streams to that site's master target) and the agent. */
    static SitePlane start(String site, Path dir, Path certs, SiteMasterTarget mt, List<ProcessServerConfig.Route> routes, RoleHosting hosting)
            throws IOException {
        Path cache = dir.resolve("process-server").resolve("cache");
        TlsFiles tls = TlsFiles.inDirectory(certs, CertificateAuthority.PROCESS_SERVER);
        SiteProcessServer ps = switch (hosting) {
            case RoleHosting.InProcess in -> new SiteProcessServer.Embedded(ProcessServer.start(new ProcessServerConfig(
                    CertificateAuthority.PROCESS_SERVER, new Endpoint(LOOPBACK, 0), cache, CACHE_BYTES, 3, routes, tls, null)));
            case RoleHosting.ChildProcesses child -> new SiteProcessServer.Child(RoleProcess.start(site, ChildRole.PROCESS_SERVER,
                    child.command(), dir, port -> "name: " + CertificateAuthority.PROCESS_SERVER + "\n"
                            + "listen: " + LOOPBACK + ":" + port + "\n"
                            + "cache: {dir: " + quoted(cache) + ", max-size: 1GiB}\n"
                            + "compression: {codec: zstd, level: 3}\n"
                            + "master-targets:\n" + routes.stream().map(r -> "  - {address: '" + r.address().host() + ":" + r.address().port()
                                    + "', disks: [" + r.disks().stream().map(d -> "'" + d + "'").collect(Collectors.joining(", ")) + "]}\n")
                                    .collect(Collectors.joining())
                            + tlsYaml(tls)));
        };
        try {
            SiteAgent agent = SiteAgent.start("agent-" + site, LOOPBACK, LOOPBACK, ps.port(),
                    StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.AGENT)));
            return new SitePlane(site, dir, mt, ps, agent);
        } catch (IOException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static String tlsYaml(TlsFiles tls) {
        return "tls: {ca: " + quoted(tls.caCertificate()) + ", cert: " + quoted(tls.certificate()) + ", key: " + quoted(tls.privateKey()) + "}\n";
    }

    /** A path as a single-quoted YAML scalar. */
    private static String quoted(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    Path captureState(String stream) {
        return dir.resolve("capture").resolve(stream);
    }

    /** The child process of {@code role}, when the roles run as child processes. */
    Optional<RoleProcess> child(ChildRole role) {
        return switch (role) {
            case MASTER_TARGET -> masterTarget instanceof SiteMasterTarget.Child c ? Optional.of(c.process()) : Optional.empty();
            case PROCESS_SERVER -> processServer instanceof SiteProcessServer.Child c ? Optional.of(c.process()) : Optional.empty();
        };
    }

    /** Stops the agent (its streams drain first), then the process server; the master target last, by the caller. */
    void closeSenders() {
        agent.close();
        processServer.close();
    }
}
