package org.boomerang.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.boomerang.stream.proto.Batch;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Range;
import org.boomerang.stream.proto.ReceiverFrame;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.ReplicationGrpc;
import org.boomerang.stream.proto.SenderFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad frames sent by a hand-driven client over real gRPC + mutual TLS: each is refused with its stable
 * code and a message, nothing of it is applied, and the same stream then takes a good batch.
 */
class StreamRefusalTest {
    @TempDir
    Path dir;

    private Server server;
    private ManagedChannel channel;
    private final TestingStreams.MemoryReceiver receiver = new TestingStreams.MemoryReceiver();

    @BeforeEach
    void start() throws Exception {
        Path certs = TestingStreams.certs(dir.resolve("certs"));
        server = StreamEndpoints.serve(new InetSocketAddress("127.0.0.1", 0),
                StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET)), "master-target", receiver);
        channel = StreamEndpoints.channel("127.0.0.1", server.getPort(),
                StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.AGENT)));
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** A raw stream: frames sent by the test, frames received queued. */
    private final class Raw implements StreamObserver<ReceiverFrame> {
        final LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
        final StreamObserver<SenderFrame> out = ReplicationGrpc.newStub(channel).replicate(this);

        @Override
        public void onNext(ReceiverFrame f) {
            got.add(f);
        }

        @Override
        public void onError(Throwable t) {
            got.add(t);
        }

        @Override
        public void onCompleted() {
            got.add("completed");
        }

        ReceiverFrame next() throws InterruptedException {
            Object o = got.poll(30, TimeUnit.SECONDS);
            assertThat(o).as("a frame from the receiver").isInstanceOf(ReceiverFrame.class);
            return (ReceiverFrame) o;
        }

        void send(Batch.Builder b) {
            out.onNext(SenderFrame.newBuilder().setBatch(b).build());
        }
    }

    private static Batch.Builder batch(String disk, String generation, List<Record> records) {
        return Batch.newBuilder().setDiskId(disk).setGeneration(generation).addAllRecords(records);
    }

    private static Batch.Builder batch(List<Record> records) {
        return batch("d1", TestingStreams.GENERATION, records);
    }

    private static void assertRefused(ReceiverFrame f, StreamError code) {
        assertThat(f.hasRefusal()).as("a refusal, got " + f).isTrue();
        assertThat(f.getRefusal().getCode()).isEqualTo(code.name());
        assertThat(f.getRefusal().getMessage()).isNotBlank();
    }

    @Test
    void eachBadBatchIsRefusedWithItsCodeAndTheStreamGoesOn() throws Exception {
        Raw raw = new Raw();
        raw.out.onNext(SenderFrame.newBuilder().setHello(TestingStreams.hello("d1")).build());
        assertThat(raw.next().getWelcome().getDurableLsn()).isZero();

        raw.send(batch(List.of(TestingStreams.write(1))));
        assertThat(raw.next().getAck().getDurableLsn()).isEqualTo(1);

        raw.send(batch(List.of(TestingStreams.write(3))));
        assertRefused(raw.next(), StreamError.LSN_GAP);

        raw.send(batch(List.of(TestingStreams.write(2), TestingStreams.write(4))));
        assertRefused(raw.next(), StreamError.OUT_OF_ORDER);

        raw.send(batch("d2", TestingStreams.GENERATION, List.of(TestingStreams.write(2))));
        assertRefused(raw.next(), StreamError.WRONG_DISK);

        raw.send(batch("d1", java.util.UUID.randomUUID().toString(), List.of(TestingStreams.write(2))));
        assertRefused(raw.next(), StreamError.WRONG_GENERATION);

        Record damaged = TestingStreams.write(2).toBuilder()
                .setWrite(TestingStreams.write(2).getWrite().toBuilder().setData(ByteString.copyFromUtf8("not the data"))).build();
        raw.send(batch(List.of(damaged)));
        assertRefused(raw.next(), StreamError.MALFORMED_FRAME);

        raw.send(batch(List.of(Record.newBuilder().setLsn(2).build())));
        assertRefused(raw.next(), StreamError.MALFORMED_FRAME);

        raw.send(batch(List.of(Record.newBuilder().setLsn(2).setTrim(Range.newBuilder().setOffset(TestingStreams.DISK_SIZE)
                .setLength(4096)).build())));
        assertRefused(raw.next(), StreamError.MALFORMED_FRAME);

        raw.send(batch(List.of(TestingStreams.write(1), TestingStreams.write(2))));
        assertThat(raw.next().getAck().getDurableLsn()).as("the duplicate 1 is skipped, 2 applied").isEqualTo(2);
        assertThat(receiver.disks.get("d1")).extracting(Record::getLsn).containsExactly(1L, 2L);
        raw.out.onCompleted();
    }

    @Test
    void aBatchBeforeTheHelloIsRefused() throws Exception {
        Raw raw = new Raw();
        raw.send(batch(List.of(TestingStreams.write(1))));
        assertRefused(raw.next(), StreamError.MALFORMED_FRAME);
        assertThat(receiver.disks).isEmpty();
    }

    @Test
    void aHelloWithoutGenerationIsRefused() throws Exception {
        Raw raw = new Raw();
        Hello bad = TestingStreams.hello("d1").toBuilder().setGeneration("yesterday").build();
        raw.out.onNext(SenderFrame.newBuilder().setHello(bad).build());
        assertRefused(raw.next(), StreamError.MALFORMED_FRAME);
    }
}
