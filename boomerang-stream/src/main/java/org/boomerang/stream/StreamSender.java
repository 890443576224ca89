package org.boomerang.stream;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.stream.proto.Ack;
import org.boomerang.stream.proto.Batch;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.ReceiverFrame;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.ReplicationGrpc;
import org.boomerang.stream.proto.SenderFrame;
import org.boomerang.stream.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one disk's stream: connects, says hello, resumes its {@link Source} at the
 * receiver's durable LSN, then sends batches while the stream is ready and fewer than
 * {@link Options#maxInFlightBytes} of payload are unacknowledged (flow control: a slow receiver slows
 * the sender). Acknowledgements go back to the source. After any failure (disconnect, refusal, restart
 * of either side) it reconnects with a growing back-off and resumes from the receiver's durable LSN, so
 * records sent but never acknowledged are sent again and the receiver skips what it already has.
 *
 * <p>Thread-safety: one virtual thread runs the stream; {@link #close} may be called from any thread.
 */
public final class StreamSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSender.class);

    /** Where a sender's records come from and where its acknowledgements go. Called by the sender's thread and gRPC's. */
    public interface Source {
        Hello hello();

        /** The next record sent has LSN {@code receiverDurableLsn + 1}. */
        void resume(long receiverDurableLsn) throws IOException;

        /** The next records in LSN order, about {@code maxBytes} of payload at most; empty after {@code timeout}. */
        List<Record> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException;

        /** The receiver holds everything up to {@code durableLsn}; the master target up to {@code targetDurableLsn}. */
        void acknowledged(long durableLsn, long targetDurableLsn) throws IOException;

        /**
         * The receiver refused this sender's epoch ({@link StreamError#FENCED}, with the receiver's epoch in
         * {@link StreamException#receiverEpoch}); the sender has stopped for good. Called once, on the sender's thread.
         */
        default void fenced(StreamException why) {}
    }

    /**
     * @param batchBytes payload bytes per batch frame at most (one record may exceed it alone)
     * @param maxInFlightBytes payload bytes sent and not yet acknowledged at most
     * @param welcomeTimeout how long to wait for the receiver's answer to a hello
     * @param minBackoff first pause before reconnecting; doubles up to {@code maxBackoff}
     */
    public record Options(int batchBytes, long maxInFlightBytes, Duration welcomeTimeout, Duration minBackoff, Duration maxBackoff) {
        public static Options defaults() {
            return new Options(1 << 20, 64L << 20, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }

    /** Counters of a sender, read by the roles' metrics. */
    public static final class Stats {
        public final AtomicLong reconnects = new AtomicLong();
        public final AtomicLong recordsSent = new AtomicLong();
        public final AtomicLong wireBytesSent = new AtomicLong();
        public final AtomicLong rawBytesSent = new AtomicLong();
        public final AtomicLong durableLsn = new AtomicLong();
        public final AtomicLong targetDurableLsn = new AtomicLong();
        public final AtomicLong inFlightBytes = new AtomicLong();
        public volatile boolean connected;
        public volatile String lastError = "";
        /** Why the receiver fenced this sender off (its refusal); empty while it is not fenced. */
        public volatile String fenced = "";
    }

    private final String name;
    private final ReplicationGrpc.ReplicationStub stub;
    private final Source source;
    private final Options options;
    private final Stats stats = new Stats();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Attempt attempt;

    private StreamSender(String name, ManagedChannel channel, Source source, Options options) {
        this.name = requireNonNull(name, "name is null");
        this.stub = ReplicationGrpc.newStub(requireNonNull(channel, "channel is null"));
        this.source = requireNonNull(source, "source is null");
        this.options = requireNonNull(options, "options is null");
        this.thread = Thread.ofVirtual().name("stream-sender-" + name).unstarted(this::loop);
    }

    /** Starts sending {@code source} over {@code channel} (owned by the caller). */
    public static StreamSender start(String name, ManagedChannel channel, Source source, Options options) {
        StreamSender s = new StreamSender(name, channel, source, options);
        s.thread.start();
        return s;
    }

    public Stats stats() {
        return stats;
    }

    private void loop() {
        Duration backoff = options.minBackoff();
        boolean first = true;
        while (!closed) {
            if (!first) {
                stats.reconnects.incrementAndGet();
            }
            first = false;
            Attempt a = new Attempt();
            attempt = a;
            try {
                a.run();
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                Thread.interrupted();
            } catch (StreamException e) {
                stats.lastError = e.describe();
                if (e.code() == StreamError.FENCED) {
                    stats.connected = false;
                    a.cancel("fenced");
                    stats.fenced = e.describe();
                    LOG.error("stream {}: fenced off, the sender stops and its writes stay in the dirty map: {}", name, e.describe());
                    source.fenced(e);
                    return;
                }
                LOG.warn("stream {}: {}", name, e.describe());
            } catch (IOException | RuntimeException e) {
                stats.lastError = e.toString();
                LOG.warn("stream {}: {}", name, e.toString());
            } finally {
                stats.connected = false;
                a.cancel("the sender stops this attempt");
            }
            if (a.progressed) {
                backoff = options.minBackoff();
            }
            if (closed) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            }
            backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    /** One connection: from hello to failure. */
    private final class Attempt implements ClientResponseObserver<SenderFrame, ReceiverFrame> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private ClientCallStreamObserver<SenderFrame> requests;
        private Welcome welcome;
        private RuntimeException failure;
        private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
        private long inFlightBytes;
        private boolean progressed;

        @Override
        public void beforeStart(ClientCallStreamObserver<SenderFrame> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::signal);
        }

        void run() throws IOException, InterruptedException {
            stub.replicate(this);
            Hello hello = source.hello();
            requests.onNext(SenderFrame.newBuilder().setHello(hello).build());
            Welcome w = awaitWelcome();
            long resumeAt = w.getDurableLsn();
            LOG.info("stream {}: disk={} connected to {}, resuming after lsn={}", name, hello.getDiskId(), w.getReceiver(), resumeAt);
            source.resume(resumeAt);
            acknowledge(w.getDurableLsn(), w.getTargetDurableLsn());
            stats.connected = true;
            while (!closed) {
                awaitRoom();
                List<Record> records = source.poll(options.batchBytes(), Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                long bytes = 0;
                long raw = 0;
                for (Record r : records) {
                    bytes += WriteCodec.wireBytes(r);
                    raw += WriteCodec.rawBytes(r);
                }
                lock.lock();
                try {
                    throwIfFailed();
                    inFlight.add(new long[] {records.getLast().getLsn(), bytes});
                    inFlightBytes += bytes;
                    stats.inFlightBytes.set(inFlightBytes);
                    requests.onNext(SenderFrame.newBuilder().setBatch(Batch.newBuilder().setDiskId(hello.getDiskId())
                            .setGeneration(hello.getGeneration()).addAllRecords(records)).build());
                } finally {
                    lock.unlock();
                }
                stats.recordsSent.addAndGet(records.size());
                stats.wireBytesSent.addAndGet(bytes);
                stats.rawBytesSent.addAndGet(raw);
            }
        }

        private Welcome awaitWelcome() throws InterruptedException {
            long deadline = System.nanoTime() + options.welcomeTimeout().toNanos();
            lock.lock();
            try {
                while (welcome == null) {
                    throwIfFailed();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new StreamException(StreamError.NEXT_HOP_UNAVAILABLE, "no answer to the hello within " + options.welcomeTimeout(),
                                "check that the receiver runs; the sender retries");
                    }
                    changed.awaitNanos(left);
                }
                return welcome;
            } finally {
                lock.unlock();
            }
        }

        private void awaitRoom() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    throwIfFailed();
                    if (closed) {
                        return;
                    }
                    if (requests.isReady() && inFlightBytes < options.maxInFlightBytes()) {
                        return;
                    }
                    changed.awaitNanos(Duration.ofMillis(200).toNanos());
                }
            } finally {
                lock.unlock();
            }
        }

        private void throwIfFailed() {
            if (failure != null) {
                throw failure;
            }
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void fail(RuntimeException e) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = e;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void cancel(String why) {
            if (requests != null) {
                try {
                    requests.cancel(why, null);
                } catch (RuntimeException e) {
                    // already over
                }
            }
        }

        private void acknowledge(long durable, long target) throws IOException {
            stats.durableLsn.set(durable);
            stats.targetDurableLsn.set(target);
            source.acknowledged(durable, target);
        }

        @Override
        public void onNext(ReceiverFrame frame) {
            switch (frame.getFrameCase()) {
                case WELCOME -> {
                    lock.lock();
                    try {
                        welcome = frame.getWelcome();
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                case ACK -> onAck(frame.getAck());
                case REFUSAL -> {
                    StreamError code;
                    try {
                        code = StreamError.valueOf(frame.getRefusal().getCode());
                    } catch (IllegalArgumentException e) {
                        code = StreamError.MALFORMED_FRAME;
                    }
                    fail(code == StreamError.FENCED
                            ? StreamException.fenced(frame.getRefusal().getEpoch(), "the receiver holds the disk at fencing epoch "
                                    + frame.getRefusal().getEpoch() + ", above this sender's " + source.hello().getEpoch() + ": "
                                    + frame.getRefusal().getMessage(), "the sender stops; protect the disk again from its new owner")
                            : new StreamException(code, "the receiver refused: " + frame.getRefusal().getCode() + ": "
                                    + frame.getRefusal().getMessage(), "the sender reconnects and resumes from the receiver's durable LSN"));
                }
                case FRAME_NOT_SET -> fail(new StreamException(StreamError.MALFORMED_FRAME, "the receiver sent an empty frame",
                        "upgrade the receiver"));
            }
        }

        private void onAck(Ack ack) {
            lock.lock();
            try {
                while (!inFlight.isEmpty() && inFlight.peek()[0] <= ack.getDurableLsn()) {
                    inFlightBytes -= inFlight.poll()[1];
                }
                stats.inFlightBytes.set(inFlightBytes);
                progressed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                acknowledge(ack.getDurableLsn(), ack.getTargetDurableLsn());
            } catch (IOException | RuntimeException e) {
                fail(new IllegalStateException("handling the acknowledgement of lsn=" + ack.getDurableLsn() + " failed: " + e, e));
            }
        }

        @Override
        public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            fail(new StreamException(s.getCode() == Status.Code.UNAUTHENTICATED ? StreamError.PEER_CERTIFICATE_REFUSED
                    : StreamError.NEXT_HOP_UNAVAILABLE, "the stream ended: " + s.getCode() + " " + describe(s),
                    "the sender reconnects and resumes from the receiver's durable LSN"));
        }

        @Override
        public void onCompleted() {
            fail(new StreamException(StreamError.NEXT_HOP_UNAVAILABLE, "the receiver ended the stream", "the sender reconnects"));
        }
    }

    /** A status's description and the innermost cause (a TLS refusal names the peer and the reason there). */
    public static String describe(Status s) {
        StringBuilder b = new StringBuilder(s.getDescription() == null ? "" : s.getDescription());
        Throwable c = s.getCause();
        Throwable last = null;
        while (c != null) {
            last = c;
            c = c.getCause();
        }
        if (last != null && last.getMessage() != null) {
            b.append(b.isEmpty() ? "" : ": ").append(last.getMessage());
        }
        return b.toString();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Attempt a = attempt;
        if (a != null) {
            a.cancel("the sender is closing");
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
