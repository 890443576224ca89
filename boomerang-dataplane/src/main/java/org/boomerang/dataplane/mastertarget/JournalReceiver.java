package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.boomerang.common.DiskId;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.AppendOutcome;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.JournalRecordSpec;
import org.boomerang.journal.Marker;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.stream.ReceiverSession;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamReceiver;
import org.boomerang.stream.WriteCodec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Mark;
import org.boomerang.stream.proto.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master target's receiving side: each disk's stream becomes records of the disk's
 * {@link SegmentedJournal} at {@code <data>/journals/<diskId>} (created at the first hello, with the
 * sender's generation), at the very LSNs the sender gave them; a batch is acknowledged only once
 * {@link SegmentedJournal#sync} made it durable (group commit per drained batch queue).
 *
 * <p>Thread-safety: journals are opened once and kept for the life of the role; one session per disk
 * at a time (the stream service guarantees it).
 */
final class JournalReceiver implements StreamReceiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReceiver.class);

    private final MasterTargetConfig config;
    private final MeterRegistry metrics;
    private final ConcurrentHashMap<String, DiskJournal> journals = new ConcurrentHashMap<>();
    private final FencingEpochs fencing;

    JournalReceiver(MasterTargetConfig config, MeterRegistry metrics) {
        this.config = requireNonNull(config, "config is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.fencing = new FencingEpochs(config.data());
    }

    FencingEpochs fencing() {
        return fencing;
    }

    /** A disk's open journal and its meters. */
    private record DiskJournal(SegmentedJournal journal, Counter records, Counter bytes) {
        /** This journal, when it is the replica of the hello's lineage and geometry. */
        DiskJournal checked(Hello hello) {
            JournalIdentity id = journal.identity();
            if (!id.generation().toString().equals(hello.getGeneration())) {
                throw new StreamException(StreamError.WRONG_GENERATION, "disk " + hello.getDiskId() + ": the sender's generation "
                        + hello.getGeneration() + " is not the journal's " + id.generation() + " (" + journal.directory() + ")",
                        "the source and the replica are of different lineages: resync the disk into a new journal");
            }
            if (id.diskSize() != hello.getDiskSize() || id.blockSize() != hello.getBlockSize()) {
                throw new StreamException(StreamError.WRONG_GEOMETRY, "disk " + hello.getDiskId() + ": the sender's disk is "
                        + hello.getDiskSize() + " bytes / block " + hello.getBlockSize() + ", the journal's " + id.diskSize()
                        + " bytes / block " + id.blockSize(), "resync the disk into a new journal after a resize");
            }
            return this;
        }
    }

    @Override
    public ReceiverSession open(Hello hello, String peer, AckChannel acks) throws IOException {
        String disk = hello.getDiskId();
        long epoch = hello.getEpoch();
        fencing.admit(disk, epoch, hello.getSender());
        DiskJournal dj = journal(hello);
        SegmentedJournal journal = dj.journal();
        long durable = journal.sync().value();
        return new ReceiverSession() {
            @Override
            public long durableLsn() {
                return durable;
            }

            @Override
            public long targetDurableLsn() {
                return journal.durableLsn().value();
            }

            @Override
            public void append(List<Record> records) throws IOException {
                long current = fencing.epoch(disk);
                if (current > epoch) {
                    throw FencingEpochs.fenced(disk, epoch, current, hello.getSender());
                }
                for (Record r : records) {
                    AppendOutcome outcome;
                    try {
                        outcome = journal.appendAt(Lsn.of(r.getLsn()), spec(r));
                    } catch (JournalException e) {
                        if (e.code() == JournalError.LSN_GAP) {
                            throw new StreamException(StreamError.LSN_GAP, "disk " + hello.getDiskId() + ": " + e.getMessage(),
                                    "resume from the journal's durable LSN", e);
                        }
                        throw e;
                    }
                    if (outcome == AppendOutcome.APPENDED) {
                        dj.records().increment();
                        dj.bytes().increment(WriteCodec.rawBytes(r));
                    }
                }
            }

            @Override
            public long sync() throws IOException {
                return journal.sync().value();
            }

            @Override
            public void close() {}
        };
    }

    /** The journal record a wire record becomes (one to one, at the same LSN). */
    private static JournalRecordSpec spec(Record r) {
        return switch (r.getChangeCase()) {
            case WRITE -> new JournalRecordSpec.Write(r.getWrite().getOffset(), WriteCodec.checked(r.getLsn(), r.getWrite()));
            case TRIM -> new JournalRecordSpec.Trim(r.getTrim().getOffset(), r.getTrim().getLength());
            case ZERO -> new JournalRecordSpec.Zero(r.getZero().getOffset(), r.getZero().getLength());
            case MARK -> new JournalRecordSpec.MarkerRecord(marker(r.getMark()));
            case WINDOW_OPEN -> new JournalRecordSpec.WindowOpen(r.getWindowOpen().getReason());
            case WINDOW_CLOSE -> new JournalRecordSpec.WindowClose();
            case CHANGE_NOT_SET -> throw new StreamException(StreamError.MALFORMED_FRAME, "record lsn=" + r.getLsn()
                    + " carries no change", "set one of its changes");
        };
    }

    static Marker marker(Mark m) {
        MarkerKind kind = switch (m.getKind()) {
            case MARK_KIND_CRASH -> MarkerKind.CRASH;
            case MARK_KIND_APP -> MarkerKind.APP;
            case MARK_KIND_GROUP -> MarkerKind.GROUP;
            case MARK_KIND_UNSPECIFIED, UNRECOGNIZED -> throw new StreamException(StreamError.MALFORMED_FRAME,
                    "marker " + m.getPointId() + " has no kind", "set its kind");
        };
        Instant time = Instant.EPOCH.plus(m.getTimeMicros(), ChronoUnit.MICROS);
        return new Marker(kind, m.getPointId(), time, m.getGroupId(), m.getTag());
    }

    private DiskJournal journal(Hello hello) throws IOException {
        try {
            return journals.computeIfAbsent(hello.getDiskId(), d -> {
                try {
                    return openJournal(hello);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).checked(hello);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private DiskJournal openJournal(Hello hello) throws IOException {
        var dir = config.journalDirectory(hello.getDiskId());
        JournalOptions options = JournalOptions.defaults().withSegmentBytes(config.segmentBytes());
        SegmentedJournal journal;
        if (SegmentedJournal.exists(dir)) {
            journal = SegmentedJournal.open(dir, options);
        } else {
            Files.createDirectories(dir.getParent());
            JournalIdentity id = new JournalIdentity(new DiskId(hello.getDiskId()), hello.getDiskSize(), hello.getBlockSize(),
                    UUID.fromString(hello.getGeneration()));
            journal = SegmentedJournal.create(dir, id, options);
            LOG.info("disk={} created journal {} generation={}", hello.getDiskId(), dir, hello.getGeneration());
        }
        return meters(hello.getDiskId(), journal);
    }

    private DiskJournal meters(String disk, SegmentedJournal journal) {
        Gauge.builder("boomerang_master_target_durable_lsn", journal, j -> j.durableLsn().value()).tag("disk", disk)
                .description("newest LSN durable in the disk's journal").register(metrics);
        return new DiskJournal(journal,
                Counter.builder("boomerang_master_target_records").tag("disk", disk).description("records appended").register(metrics),
                Counter.builder("boomerang_master_target_bytes").tag("disk", disk).description("bytes written by appended records")
                        .baseUnit("bytes").register(metrics));
    }

    /**
     * The open journal of {@code disk}, opened now when it exists on disk and no stream opened it yet;
     * empty when the disk has no journal. Views of the replica are taken from this instance.
     */
    java.util.Optional<SegmentedJournal> journal(String disk) throws IOException {
        DiskJournal open = journals.get(disk);
        if (open != null) {
            return java.util.Optional.of(open.journal());
        }
        if (!SegmentedJournal.exists(config.journalDirectory(disk))) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(journals.computeIfAbsent(disk, d -> {
                try {
                    return meters(d, SegmentedJournal.open(config.journalDirectory(d),
                            JournalOptions.defaults().withSegmentBytes(config.segmentBytes())));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).journal());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Closes the journal of {@code disk} and forgets it (its stream must have ended); a later stream reopens it. */
    void release(String disk) throws IOException {
        DiskJournal dj = journals.remove(disk);
        if (dj != null) {
            metrics.find("boomerang_master_target_durable_lsn").tag("disk", disk).meters().forEach(metrics::remove);
            metrics.find("boomerang_master_target_records").tag("disk", disk).meters().forEach(metrics::remove);
            metrics.find("boomerang_master_target_bytes").tag("disk", disk).meters().forEach(metrics::remove);
            dj.journal().close();
        }
    }

    @Override
    public void close() {
        for (DiskJournal dj : journals.values()) {
            try {
                dj.journal().close();
            } catch (IOException e) {
                LOG.error("closing the journal {} failed: {}", dj.journal().directory(), e.toString());
            }
        }
        journals.clear();
    }
}
