package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.boomerang.dataplane.roles.MetricsEndpoint;
import org.boomerang.stream.ReplicationService;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master target role (SPEC §2.3): receives change streams over mutual TLS and writes each disk's
 * journal, acknowledging only durable LSNs. Nothing in it assumes which site is primary.
 *
 * <p>Lifecycle: {@link #start} binds and serves; {@link #close} stops taking streams, lets the streams
 * in flight end, then closes the journals (their appended records synced).
 */
public final class MasterTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MasterTarget.class);

    private final MasterTargetConfig config;
    private final MetricsEndpoint metrics;
    private final JournalReceiver receiver;
    private final ReplicationService service;
    private final Server server;
    /** A stopping master target keeps taking records until its streams were quiet this long (at most {@link #STOP_GRACE}). */
    static final Duration QUIET = Duration.ofSeconds(1);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private MasterTarget(MasterTargetConfig config, MetricsEndpoint metrics, JournalReceiver receiver, ReplicationService service,
            Server server) {
        this.config = config;
        this.metrics = metrics;
        this.receiver = receiver;
        this.service = service;
        this.server = server;
    }

    public static MasterTarget start(MasterTargetConfig config) throws IOException {
        requireNonNull(config, "config is null");
        StreamTls tls = StreamTls.load(config.tls());
        MetricsEndpoint metrics = MetricsEndpoint.start(config.metrics());
        JournalReceiver receiver = new JournalReceiver(config, metrics.registry());
        try {
            ReplicationService service = new ReplicationService(config.name(), receiver);
            Server server = StreamEndpoints.serve(config.listen().socketAddress(), tls, config.name(), service);
            LOG.info("master target {} listening on {}:{}, journals under {}", config.name(), config.listen().host(), server.getPort(),
                    config.data().resolve("journals"));
            return new MasterTarget(config, metrics, receiver, service, server);
        } catch (IOException | RuntimeException e) {
            receiver.close();
            metrics.close();
            throw e;
        }
    }

    public MasterTargetConfig config() {
        return config;
    }

    /** The port streams connect to (the configured one, or the one picked for port 0). */
    public int port() {
        return server.getPort();
    }

    public MetricsEndpoint metrics() {
        return metrics;
    }

    /**
     * The replica journal of {@code disk} as this master target holds it open (views of the replica are
     * opened from it while its stream goes on); empty when the disk has no journal yet.
     */
    public java.util.Optional<org.boomerang.journal.SegmentedJournal> journal(String disk) throws IOException {
        return receiver.journal(disk);
    }

    /** Closes the journal of {@code disk} (no stream may be writing it), e.g. before it is deleted after a commit. */
    public void release(String disk) throws IOException {
        receiver.release(disk);
    }

    @Override
    public void close() {
        try {
            service.awaitQuiet(QUIET, STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        receiver.close();
        metrics.close();
        LOG.info("master target {} stopped", config.name());
    }
}
