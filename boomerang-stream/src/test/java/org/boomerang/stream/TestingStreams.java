package org.boomerang.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Record;

/** Hand-written ends for the stream tests: an in-memory source of numbered writes and an in-memory receiver. */
final class TestingStreams {
    static final String GENERATION = UUID.randomUUID().toString();
    static final long DISK_SIZE = 1 << 20;

    private TestingStreams() {}

    static Hello hello(String disk) {
        return Hello.newBuilder().setDiskId(disk).setGeneration(GENERATION).setDiskSize(DISK_SIZE).setBlockSize(4096).setSender("test").build();
    }

    static Record write(long lsn) {
        byte[] data = new byte[512];
        java.util.Arrays.fill(data, (byte) lsn);
        return WriteCodec.write(lsn, (lsn % 100) * 512, ByteBuffer.wrap(data), 1);
    }

    /** Certificates of one CA in {@code dir}. */
    static Path certs(Path dir) throws IOException {
        CertificateAuthority.initDirectory(dir, Set.of());
        return dir;
    }

    /** A source holding every record it was given until released. */
    static final class ListSource implements StreamSender.Source {
        final String disk;
        final List<Record> all = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<Record> pending = new LinkedBlockingQueue<>();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong resumes = new AtomicLong();

        ListSource(String disk, int count) {
            this.disk = disk;
            for (int i = 1; i <= count; i++) {
                all.add(write(i));
            }
        }

        @Override
        public Hello hello() {
            return TestingStreams.hello(disk);
        }

        @Override
        public synchronized void resume(long receiverDurableLsn) {
            resumes.incrementAndGet();
            pending.clear();
            for (Record r : all) {
                if (r.getLsn() > receiverDurableLsn) {
                    pending.add(r);
                }
            }
        }

        @Override
        public List<Record> poll(int maxBytes, Duration timeout) throws InterruptedException {
            List<Record> out = new ArrayList<>();
            Record first = pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return out;
            }
            out.add(first);
            pending.drainTo(out, 16);
            return out;
        }

        @Override
        public void acknowledged(long durableLsn, long targetDurableLsn) {
            acked.accumulateAndGet(durableLsn, Math::max);
        }
    }

    /** A receiver keeping records in memory; "durable" on sync. */
    static final class MemoryReceiver implements StreamReceiver {
        final ConcurrentHashMap<String, List<Record>> disks = new ConcurrentHashMap<>();
        volatile long syncDelayMillis;

        @Override
        public ReceiverSession open(Hello hello, String peer, AckChannel acks) {
            List<Record> records = disks.computeIfAbsent(hello.getDiskId(), d -> new CopyOnWriteArrayList<>());
            return new ReceiverSession() {
                @Override
                public long durableLsn() {
                    return records.isEmpty() ? 0 : records.getLast().getLsn();
                }

                @Override
                public long targetDurableLsn() {
                    return durableLsn();
                }

                @Override
                public void append(List<Record> rs) {
                    records.addAll(rs);
                }

                @Override
                public long sync() throws IOException {
                    if (syncDelayMillis > 0) {
                        try {
                            Thread.sleep(syncDelayMillis);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    return durableLsn();
                }

                @Override
                public void close() {}
            };
        }
    }
}
