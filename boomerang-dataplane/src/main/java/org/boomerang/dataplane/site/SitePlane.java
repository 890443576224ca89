package org.boomerang.dataplane.site;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 * The three roles of one site, embedded and on loopback: its master target (journals of the disks
 * replicated to this site), its process server (relays this site's streams to the master target of the
 * site each stream is for) and its agent (serves and protects this site's disks). They talk over their
 * real protocols: gRPC with mutual TLS, certificates from one authority.
 *
 * <p>Layout under {@code dir}: {@code master-target/journals/<stream>}, {@code process-server/cache/},
 * {@code capture/<stream>/} (the agent's capture states).
 */
record SitePlane(String site, Path dir, MasterTarget masterTarget, ProcessServer processServer, SiteAgent agent) {
    static final String LOOPBACK = "127.0.0.1";

    /** Starts the site's master target alone (every site's master target must listen before any process server starts). */
    static MasterTarget startMasterTarget(Path dir, Path certs, long segmentBytes) throws IOException {
        Endpoint any = new Endpoint(LOOPBACK, 0);
        return MasterTarget.start(new MasterTargetConfig(CertificateAuthority.MASTER_TARGET, any, dir.resolve("master-target"),
                TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET), null, segmentBytes));
    }

    /** Starts the process server (routing {@code <site>.*} streams to that site's master target) and the agent. */
    static SitePlane start(String site, Path dir, Path certs, MasterTarget mt, List<ProcessServerConfig.Route> routes, long cacheBytes)
            throws IOException {
        Endpoint any = new Endpoint(LOOPBACK, 0);
        ProcessServer ps = ProcessServer.start(new ProcessServerConfig(CertificateAuthority.PROCESS_SERVER, any,
                dir.resolve("process-server").resolve("cache"), cacheBytes, 3, routes,
                TlsFiles.inDirectory(certs, CertificateAuthority.PROCESS_SERVER), null));
        try {
            SiteAgent agent = SiteAgent.start("agent-" + site, LOOPBACK, LOOPBACK, ps.port(),
                    StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.AGENT)));
            return new SitePlane(site, dir, mt, ps, agent);
        } catch (IOException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    Path captureState(String stream) {
        return dir.resolve("capture").resolve(stream);
    }

    /** Stops the agent (its streams drain first), then the process server; the master target last, by the caller. */
    void closeSenders() {
        agent.close();
        processServer.close();
    }
}
