package org.boomerang.dataplane.processserver;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.stream.ReceiverSession;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamReceiver.AckChannel;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.WriteCodec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One disk at the process server: the agent's stream goes into the disk's {@link DiskCache} (compressed,
 * fsynced, then acknowledged), and a {@link StreamSender} forwards the cache to the disk's master
 * target; the master target's acknowledgements trim the cache and travel on to the agent as
 * {@code target_durable_lsn}.
 *
 * <p>Thread-safety: the agent's stream worker, the forwarding sender's thread and gRPC callbacks use
 * it; state is in the cache (locked) and atomics.
 */
final class DiskRelay implements StreamSender.Source, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskRelay.class);
    /** The master target's durable LSN is not known yet (no connection since the cache was made). */
    static final long UNKNOWN = -1;

    private final String disk;
    private final DiskCache cache;
    private final int compressionLevel;
    private final RelayStats stats;
    private final AtomicLong targetDurable = new AtomicLong(UNKNOWN);
    private volatile AckChannel upstream;
    private volatile long nextToSend;
    private final ManagedChannel channel;
    private final StreamSender.Options options;
    private StreamSender forward;
    /** The master target's fencing epoch of the disk once it refused the forward stream with FENCED; 0 before. */
    private volatile long fencedAt;

    DiskRelay(String disk, DiskCache cache, int compressionLevel, RelayStats stats, ManagedChannel channel, StreamSender.Options options) {
        this.disk = requireNonNull(disk, "disk is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.compressionLevel = compressionLevel;
        this.stats = requireNonNull(stats, "stats is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.options = requireNonNull(options, "options is null");
    }

    DiskCache cache() {
        return cache;
    }

    /** True once the master target fenced the disk's forward stream off and no agent was re-admitted since. */
    boolean fenced() {
        return fencedAt > 0;
    }

    long targetDurable() {
        return targetDurable.get();
    }

    /** Starts forwarding to the master target (once the cache has a hello); {@code restart} replaces a running sender. */
    synchronized void startForwarding(boolean restart) {
        if (restart && forward != null) {
            forward.close();
            forward = null;
        }
        if (forward == null && cache.hello() != null) {
            forward = StreamSender.start(disk + "->master-target", channel, this, options);
            stats.bindForward(forward.stats());
        }
    }

    /** The agent's stream opened: its session on this relay. */
    ReceiverSession openUpstream(Hello hello, AckChannel acks, Duration waitForTarget) throws IOException, InterruptedException {
        long fence = fencedAt;
        if (fence > 0 && hello.getEpoch() < fence) {
            throw org.boomerang.dataplane.mastertarget.FencingEpochs.fenced(disk, hello.getEpoch(), fence, hello.getSender());
        }
        Hello known = cache.hello();
        if (known != null && !known.getGeneration().equals(hello.getGeneration())) {
            if (!cache.isEmpty()) {
                throw new StreamException(StreamError.WRONG_GENERATION, "disk " + disk + ": the process server still holds records of generation "
                        + known.getGeneration() + " not yet at the master target; the agent sends generation " + hello.getGeneration(),
                        "let the master target catch up first, or remove the disk's cache directory to drop them");
            }
            cache.resetHello(hello, cache.lastLsn());
            targetDurable.set(UNKNOWN);
            startForwarding(true);
        } else if (known == null || !known.equals(hello)) {
            cache.resetHello(hello, -1);
        }
        if (fence > 0) {
            LOG.info("disk={} re-admitted at fencing epoch {} (the master target's is {}); forwarding again", disk, hello.getEpoch(), fence);
            fencedAt = 0;
            startForwarding(true);
        }
        startForwarding(false);
        if (cache.isEmpty() && targetDurable.get() == UNKNOWN) {
            long deadline = System.nanoTime() + waitForTarget.toNanos();
            while (targetDurable.get() == UNKNOWN && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (targetDurable.get() == UNKNOWN) {
                throw new StreamException(StreamError.NEXT_HOP_UNAVAILABLE, "disk " + disk + ": the master target has not answered yet, so"
                        + " the process server does not know where the replica stands", "start the master target; the agent retries");
            }
        }
        upstream = acks;
        long durable = Math.max(cache.lastLsn(), Math.max(0, targetDurable.get()));
        return new ReceiverSession() {
            @Override
            public long durableLsn() {
                return durable;
            }

            @Override
            public long targetDurableLsn() {
                return Math.max(0, targetDurable.get());
            }

            @Override
            public void append(List<Record> records) throws IOException {
                List<Record> fresh = new ArrayList<>(records.size());
                long last = cache.lastLsn();
                for (Record r : records) {
                    if (r.getLsn() <= last) {
                        continue;
                    }
                    Record c = WriteCodec.compressed(r, compressionLevel);
                    stats.recordIn(WriteCodec.rawBytes(r), WriteCodec.wireBytes(r), WriteCodec.wireBytes(c));
                    fresh.add(c);
                }
                if (fresh.isEmpty()) {
                    return;
                }
                try {
                    cache.append(fresh);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the cache was full", e);
                }
            }

            @Override
            public long sync() {
                return cache.lastLsn();
            }

            @Override
            public void close() {
                if (upstream == acks) {
                    upstream = null;
                }
            }
        };
    }

    @Override
    public Hello hello() {
        Hello h = cache.hello();
        if (h == null) {
            throw new StreamException(StreamError.NEXT_HOP_UNAVAILABLE, "disk " + disk + " has no agent stream yet", "start the agent");
        }
        return h;
    }

    @Override
    public void resume(long receiverDurableLsn) throws IOException {
        long first = cache.firstLsn();
        if (receiverDurableLsn + 1 < first) {
            throw new StreamException(StreamError.LSN_GAP, "disk " + disk + ": the master target holds up to lsn=" + receiverDurableLsn
                    + " but the cache starts at lsn=" + first + ": records " + (receiverDurableLsn + 1) + ".." + (first - 1)
                    + " are lost at the master target", "resync the disk (the replica journal lost acknowledged records)");
        }
        if (cache.isEmpty() && receiverDurableLsn > cache.lastLsn()) {
            cache.resetHello(cache.hello(), receiverDurableLsn);
        }
        targetDurable.set(receiverDurableLsn);
        nextToSend = receiverDurableLsn + 1;
        cache.trimThrough(receiverDurableLsn);
    }

    @Override
    public List<Record> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException {
        List<Record> out = cache.read(nextToSend, maxBytes, timeout);
        if (!out.isEmpty()) {
            nextToSend = out.getLast().getLsn() + 1;
        }
        return out;
    }

    @Override
    public void acknowledged(long durableLsn, long targetDurableLsn) throws IOException {
        targetDurable.accumulateAndGet(durableLsn, Math::max);
        cache.trimThrough(durableLsn);
        AckChannel up = upstream;
        if (up != null) {
            up.ack(cache.lastLsn(), durableLsn);
        }
    }

    /**
     * The master target refused the forward stream with FENCED: the agent's stream is refused the same
     * way (it stops, its writes stay in its dirty map), and so is any agent hello below that epoch. The
     * records this cache still holds stay here, undelivered, until a re-admitted agent's hello.
     */
    @Override
    public void fenced(StreamException why) {
        Hello now = cache.hello();
        if (now != null && now.getEpoch() >= why.receiverEpoch()) {
            LOG.info("disk={} the forward stream at an older epoch was fenced; the agent's hello is at epoch {} now: forwarding again", disk,
                    now.getEpoch());
            Thread.ofVirtual().name("relay-restart-" + disk).start(() -> startForwarding(true));
            return;
        }
        fencedAt = Math.max(1, why.receiverEpoch());
        LOG.error("disk={} fenced off by the master target at epoch {}: {}", disk, fencedAt, why.getMessage());
        AckChannel up = upstream;
        if (up != null && now != null) {
            up.refuse(org.boomerang.dataplane.mastertarget.FencingEpochs.fenced(disk, now.getEpoch(), fencedAt, now.getSender()));
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (forward != null) {
            forward.close();
        }
        cache.close();
        LOG.debug("disk={} relay closed", disk);
    }
}
