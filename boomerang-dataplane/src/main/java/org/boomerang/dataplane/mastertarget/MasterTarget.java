package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.boomerang.dataplane.digests.DigestService;
import org.boomerang.dataplane.digests.DiskLookup;
import org.boomerang.common.Lsn;
import org.boomerang.journal.PointInTimeView;
import org.boomerang.journal.PointName;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.dataplane.roles.MetricsEndpoint;
import org.boomerang.stream.ReplicationService;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master target role (SPEC §2.3): receives change streams over mutual TLS and writes each disk's
 * journal, acknowledging only durable LSNs. On the same server it serves the block digests of its
 * journals' states ({@link DigestService}, {@code digests.proto}) for a delta sync or verify. Nothing in it assumes which site is primary.
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
            Server server = StreamEndpoints.serve(config.listen().socketAddress(), tls, config.name(), service,
                    new DigestService(config.name(), name -> journalView(receiver, name)));
            LOG.info("master target {} listening on {}:{}, journals under {}", config.name(), config.listen().host(), server.getPort(),
                    config.data().resolve("journals"));
            return new MasterTarget(config, metrics, receiver, service, server);
        } catch (IOException | RuntimeException e) {
            receiver.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * The disk a digest request names: {@code disk} is the newest durable state of the disk's journal,
     * {@code disk@POINT} the state at a point ({@code latest}, {@code lsn:N}, a point id, as
     * {@code journal points} lists them); a view opened for the answer and closed after it.
     */
    static Optional<DiskLookup.Opened> journalView(JournalReceiver receiver, String name) throws IOException {
        int at = name.indexOf('@');
        String disk = at < 0 ? name : name.substring(0, at);
        if (!disk.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            return Optional.empty();
        }
        Optional<SegmentedJournal> journal = receiver.journal(disk);
        if (journal.isEmpty()) {
            return Optional.empty();
        }
        SegmentedJournal j = journal.get();
        Lsn lsn = at < 0 ? j.durableLsn() : j.resolve(PointName.parse(name.substring(at + 1)));
        PointInTimeView view = j.openView(lsn);
        return Optional.of(new DiskLookup.Opened(view, "journal " + disk + " at lsn " + lsn.value(), view));
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

    /**
     * Raises the fencing epoch of {@code disk} to {@code epoch} (durably) and ends a stream of the disk
     * running at a lower epoch: from now on only a sender at the new epoch or above is admitted. Returns
     * the disk's epoch afterwards (higher than {@code epoch} when it was raised further before).
     */
    public long fence(String disk, long epoch) throws IOException {
        long now = receiver.fencing().raise(disk, epoch);
        service.end(disk, hello -> hello.getEpoch() < now, StreamException.fenced(now, "disk " + disk
                + ": the master target raised its fencing epoch to " + now + "; the running stream's source is fenced off",
                "protect the disk again from the machine that owns it now"));
        return now;
    }

    /** The fencing epoch of {@code disk} (0 when it was never raised). */
    public long epoch(String disk) throws IOException {
        return receiver.fencing().epoch(disk);
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
