package org.boomerang.stream;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.stream.proto.Ack;
import org.boomerang.stream.proto.Batch;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.ReceiverFrame;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.Refusal;
import org.boomerang.stream.proto.ReplicationGrpc;
import org.boomerang.stream.proto.SenderFrame;
import org.boomerang.stream.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of {@code Replication.Replicate}: one worker (a virtual thread) per stream checks
 * frames with {@link FrameCheck}, appends them to the role's {@link ReceiverSession}, syncs once per
 * drained queue (group commit) and acknowledges the durable LSN.
 *
 * <p>Flow control: the service asks gRPC for the next frame only while fewer than
 * {@link #MAX_QUEUED_BATCHES} wait for the worker, so a slow session (a slow disk, a full cache) stops
 * reading the stream and the sender's {@code isReady} turns false: the sender slows down instead of
 * anything growing. Refused batches get a {@code Refusal} frame and leave the stream open.
 */
public final class ReplicationService extends ReplicationGrpc.ReplicationImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationService.class);
    static final int MAX_QUEUED_BATCHES = 4;

    private final String self;
    private final StreamReceiver receiver;
    /** The lock of each disk: held by the worker of the disk's current stream while it runs. */
    private final ConcurrentHashMap<String, ReentrantLock> diskLocks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Stream> current = new ConcurrentHashMap<>();
    /** When the last frame of any stream arrived (System.nanoTime), for a graceful stop. */
    private final java.util.concurrent.atomic.AtomicLong lastFrameNanos = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    public ReplicationService(String self, StreamReceiver receiver) {
        this.self = requireNonNull(self, "self is null");
        this.receiver = requireNonNull(receiver, "receiver is null");
    }

    /**
     * Waits until no frame arrived on any stream for {@code quiet}, at most {@code max}: a stopping role
     * lets its senders finish what they are sending (the agent drains on stop) before it closes.
     */
    public void awaitQuiet(java.time.Duration quiet, java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline && System.nanoTime() - lastFrameNanos.get() < quiet.toNanos()) {
            Thread.sleep(50);
        }
    }

    /**
     * Refuses and ends the stream of {@code disk} running now, if any (the master target does so when it
     * raises the disk's fencing epoch, so the old source stops at once, not at its next batch), when its
     * hello matches {@code which}.
     */
    public void end(String disk, java.util.function.Predicate<Hello> which, StreamException why) {
        Stream s = current.get(disk);
        if (s != null && s.hello != null && which.test(s.hello)) {
            LOG.warn("disk={} ending the stream from {}: {}", disk, s.peer, why.describe());
            s.end(why);
        }
    }

    @Override
    public StreamObserver<SenderFrame> replicate(StreamObserver<ReceiverFrame> responses) {
        ServerCallStreamObserver<ReceiverFrame> out = (ServerCallStreamObserver<ReceiverFrame>) responses;
        out.disableAutoRequest();
        Stream stream = new Stream(out);
        out.setOnCancelHandler(stream::end);
        out.request(MAX_QUEUED_BATCHES);
        Thread.ofVirtual().name("stream-receiver").start(stream::work);
        return stream;
    }

    private final class Stream implements StreamObserver<SenderFrame> {
        private final ServerCallStreamObserver<ReceiverFrame> out;
        private final LinkedBlockingQueue<SenderFrame> frames = new LinkedBlockingQueue<>();
        private volatile boolean ended;
        private final Object sendLock = new Object();
        private String peer = "?";
        private volatile Hello hello;

        Stream(ServerCallStreamObserver<ReceiverFrame> out) {
            this.out = out;
        }

        @Override
        public void onNext(SenderFrame frame) {
            lastFrameNanos.set(System.nanoTime());
            frames.add(frame);
        }

        @Override
        public void onError(Throwable t) {
            end();
        }

        @Override
        public void onCompleted() {
            end();
            synchronized (sendLock) {
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    // already closed
                }
            }
        }

        void end() {
            ended = true;
            frames.add(SenderFrame.getDefaultInstance());
        }

        void send(ReceiverFrame frame) {
            synchronized (sendLock) {
                if (ended) {
                    return;
                }
                try {
                    out.onNext(frame);
                } catch (RuntimeException e) {
                    ended = true;
                }
            }
        }

        void fail(Status status) {
            synchronized (sendLock) {
                if (!ended) {
                    ended = true;
                    try {
                        out.onError(status.asRuntimeException());
                    } catch (RuntimeException e) {
                        // already closed
                    }
                }
            }
        }

        private SenderFrame take() throws InterruptedException {
            SenderFrame f = frames.take();
            if (!ended) {
                out.request(1);
            }
            return f;
        }

        void work() {
            try {
                SenderFrame first = take();
                if (ended) {
                    return;
                }
                if (!first.hasHello()) {
                    refuse(new StreamException(StreamError.MALFORMED_FRAME, "the first frame of a stream must be a hello",
                            "send a hello naming the disk, then batches"));
                    fail(Status.INVALID_ARGUMENT.withDescription("MALFORMED_FRAME: the first frame of a stream must be a hello"));
                    return;
                }
                serve(first.getHello());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("stream of {} failed: {}", peer, e.toString(), e);
                fail(Status.INTERNAL.withDescription(e.toString()));
            }
        }

        private void serve(Hello hello) throws InterruptedException {
            try {
                FrameCheck.checkHello(hello);
            } catch (StreamException e) {
                refuseHello(hello, e);
                return;
            }
            String disk = hello.getDiskId();
            peer = hello.getSender();
            this.hello = hello;
            Stream older = current.put(disk, this);
            if (older != null && older != this) {
                LOG.info("disk={} a new stream from {} supersedes the older one", disk, peer);
                older.fail(Status.ABORTED.withDescription("superseded by a newer stream of disk " + disk));
                older.end();
            }
            ReentrantLock lock = diskLocks.computeIfAbsent(disk, d -> new ReentrantLock());
            if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                fail(Status.UNAVAILABLE.withDescription("disk " + disk + " is still busy with an older stream; retry"));
                return;
            }
            try {
                if (ended) {
                    return;
                }
                ReceiverSession session;
                try {
                    session = receiver.open(hello, peer, new StreamReceiver.AckChannel() {
                        @Override
                        public void ack(long durableLsn, long targetDurableLsn) {
                            send(ReceiverFrame.newBuilder().setAck(Ack.newBuilder().setDurableLsn(durableLsn)
                                    .setTargetDurableLsn(targetDurableLsn)).build());
                        }

                        @Override
                        public void refuse(StreamException why) {
                            end(why);
                        }
                    });
                } catch (StreamException e) {
                    refuseHello(hello, e);
                    return;
                } catch (IOException e) {
                    refuseHello(hello, new StreamException(StreamError.STORAGE_FAILED, "opening disk " + disk + " failed: " + e.getMessage(),
                            "see the receiver's log", e));
                    return;
                }
                try {
                    LOG.info("disk={} stream from {} opened; resume after lsn={}", disk, peer, session.durableLsn());
                    send(ReceiverFrame.newBuilder().setWelcome(Welcome.newBuilder().setDurableLsn(session.durableLsn())
                            .setTargetDurableLsn(session.targetDurableLsn()).setReceiver(self)).build());
                    run(hello, session);
                } finally {
                    session.close();
                }
            } finally {
                current.remove(disk, this);
                lock.unlock();
            }
        }

        private void run(Hello hello, ReceiverSession session) throws InterruptedException {
            FrameCheck check = new FrameCheck(hello, session.durableLsn());
            List<SenderFrame> drained = new ArrayList<>();
            while (!ended) {
                drained.clear();
                drained.add(take());
                frames.drainTo(drained);
                if (drained.size() > 1 && !ended) {
                    out.request(drained.size() - 1);
                }
                boolean appended = false;
                for (SenderFrame f : drained) {
                    if (ended) {
                        break;
                    }
                    if (!f.hasBatch()) {
                        refuse(new StreamException(StreamError.MALFORMED_FRAME, "disk " + hello.getDiskId()
                                + ": a frame after the hello must be a batch", "send one hello per stream"));
                        continue;
                    }
                    List<Record> fresh;
                    try {
                        fresh = check.accept(f.getBatch());
                    } catch (StreamException e) {
                        LOG.warn("disk={} refused a batch from {}: {}", hello.getDiskId(), peer, e.describe());
                        refuse(e);
                        continue;
                    }
                    if (fresh.isEmpty()) {
                        continue;
                    }
                    try {
                        session.append(fresh);
                        appended = true;
                    } catch (StreamException e) {
                        LOG.warn("disk={} ended the stream from {}: {}", hello.getDiskId(), peer, e.describe());
                        end(e);
                        return;
                    } catch (IOException | RuntimeException e) {
                        storageFailed(hello, e);
                        return;
                    }
                }
                if (appended && !ended) {
                    long durable;
                    try {
                        durable = session.sync();
                    } catch (IOException | RuntimeException e) {
                        storageFailed(hello, e);
                        return;
                    }
                    send(ReceiverFrame.newBuilder().setAck(Ack.newBuilder().setDurableLsn(durable)
                            .setTargetDurableLsn(session.targetDurableLsn())).build());
                }
            }
        }

        private void storageFailed(Hello hello, Exception e) {
            LOG.error("disk={} storing records from {} failed; the stream ends and the sender resumes from the durable LSN: {}",
                    hello.getDiskId(), peer, e.toString(), e);
            refuse(new StreamException(StreamError.STORAGE_FAILED, "disk " + hello.getDiskId() + ": storing records failed: "
                    + e.getMessage(), "the sender resumes from the last acknowledged LSN after reconnecting"));
            fail(Status.UNAVAILABLE.withDescription("STORAGE_FAILED: " + e.getMessage()));
        }

        private void refuseHello(Hello hello, StreamException e) {
            LOG.warn("refused the stream of disk={} from {}: {}", hello.getDiskId(), hello.getSender(), e.describe());
            refuse(e);
            fail(Status.FAILED_PRECONDITION.withDescription(e.describe()));
        }

        private void refuse(StreamException e) {
            send(ReceiverFrame.newBuilder().setRefusal(Refusal.newBuilder().setCode(e.code().name()).setEpoch(e.receiverEpoch())
                    .setMessage(e.getMessage() + (e.hint().isEmpty() ? "" : " — " + e.hint()))).build());
        }

        /** Refuses the stream with {@code why} and ends it (nothing more of it is read or applied). */
        void end(StreamException why) {
            refuse(why);
            fail(Status.FAILED_PRECONDITION.withDescription(why.describe()));
            end();
        }
    }
}

