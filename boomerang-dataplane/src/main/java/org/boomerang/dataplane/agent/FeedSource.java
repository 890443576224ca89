package org.boomerang.dataplane.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.dataplane.capture.CapturedChange;
import org.boomerang.dataplane.capture.ChangeFeed;
import org.boomerang.journal.Marker;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.WriteCodec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Mark;
import org.boomerang.stream.proto.MarkKind;
import org.boomerang.stream.proto.Range;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.WindowClose;
import org.boomerang.stream.proto.WindowOpen;

/**
 * The agent's side of one disk's stream: turns the capture's {@link ChangeFeed} into wire records and
 * the stream's acknowledgements into {@link ChangeFeed#released} (durable at the process server) and
 * {@link ChangeFeed#durableAtTarget} (durable in the replica journal). It also measures the RPO: the
 * age of the oldest change taken from the feed and not yet durable at the master target.
 *
 * <p>Thread-safety: the sender's thread polls; acknowledgements come from gRPC's threads.
 */
final class FeedSource implements StreamSender.Source {
    private final ChangeFeed feed;
    /** The hello of the next connection; its epoch changes when the data plane re-admits the source. */
    private volatile Hello hello;
    private final int zstdLevel;
    /** (lsn, nanoTime) of changes sent and not yet durable at the target, oldest first. */
    private final ArrayDeque<long[]> unacked = new ArrayDeque<>();
    private final AtomicLong targetDurable = new AtomicLong();
    private final RpoStats rpo;

    FeedSource(ChangeFeed feed, Hello hello, int zstdLevel, RpoStats rpo) {
        this.feed = requireNonNull(feed, "feed is null");
        this.hello = requireNonNull(hello, "hello is null");
        this.zstdLevel = zstdLevel;
        this.rpo = requireNonNull(rpo, "rpo is null");
    }

    @Override
    public Hello hello() {
        return hello;
    }

    /** The next connection says hello at fencing epoch {@code epoch}. */
    void epoch(long epoch) {
        hello = hello.toBuilder().setEpoch(epoch).build();
    }

    @Override
    public void resume(long receiverDurableLsn) throws IOException {
        feed.resume(receiverDurableLsn);
        synchronized (unacked) {
            unacked.removeIf(e -> e[0] > receiverDurableLsn);
        }
    }

    @Override
    public List<Record> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException {
        List<CapturedChange> changes = feed.poll(maxBytes, timeout);
        List<Record> out = new ArrayList<>(changes.size());
        long now = System.nanoTime();
        for (CapturedChange c : changes) {
            out.add(record(c));
        }
        if (!changes.isEmpty()) {
            synchronized (unacked) {
                unacked.add(new long[] {changes.getLast().lsn(), now});
            }
        }
        return out;
    }

    Record record(CapturedChange c) {
        return switch (c) {
            case CapturedChange.Write w -> WriteCodec.writeShared(w.lsn(), w.offset(), w.data(), zstdLevel); // captured data never changes
            case CapturedChange.Trim t -> Record.newBuilder().setLsn(t.lsn()).setTrim(Range.newBuilder().setOffset(t.offset())
                    .setLength(t.length())).build();
            case CapturedChange.Zero z -> Record.newBuilder().setLsn(z.lsn()).setZero(Range.newBuilder().setOffset(z.offset())
                    .setLength(z.length())).build();
            case CapturedChange.Mark m -> Record.newBuilder().setLsn(m.lsn()).setMark(mark(m.marker())).build();
            case CapturedChange.WindowOpen o -> Record.newBuilder().setLsn(o.lsn()).setWindowOpen(WindowOpen.newBuilder()
                    .setReason(o.reason())).build();
            case CapturedChange.WindowClose w -> Record.newBuilder().setLsn(w.lsn()).setWindowClose(WindowClose.getDefaultInstance()).build();
        };
    }

    static Mark mark(Marker m) {
        MarkKind kind = switch (m.kind()) {
            case CRASH -> MarkKind.MARK_KIND_CRASH;
            case APP -> MarkKind.MARK_KIND_APP;
            case GROUP -> MarkKind.MARK_KIND_GROUP;
        };
        long micros = m.time().getEpochSecond() * 1_000_000L + m.time().getNano() / 1_000;
        return Mark.newBuilder().setKind(kind).setPointId(m.pointId()).setTimeMicros(micros).setGroupId(m.groupId()).setTag(m.tag()).build();
    }

    @Override
    public void acknowledged(long durableLsn, long targetDurableLsn) throws IOException {
        feed.released(durableLsn);
        if (targetDurableLsn > targetDurable.getAndAccumulate(targetDurableLsn, Math::max)) {
            feed.durableAtTarget(targetDurableLsn);
            long now = System.nanoTime();
            synchronized (unacked) {
                while (!unacked.isEmpty() && unacked.peek()[0] <= targetDurableLsn) {
                    rpo.sample(now - unacked.poll()[1]);
                }
            }
        }
    }

    /** Nanoseconds since the oldest change not yet durable at the master target left the feed; 0 when none waits. */
    long currentRpoNanos() {
        synchronized (unacked) {
            return unacked.isEmpty() ? 0 : System.nanoTime() - unacked.peek()[1];
        }
    }

    long targetDurable() {
        return targetDurable.get();
    }
}
