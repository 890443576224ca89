package org.boomerang.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.stream.proto.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real sender and a real receiver over gRPC with mutual TLS on loopback. */
class StreamRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordArrivesOnceInOrderAcrossAReceiverRestart() throws Exception {
        Path certs = TestingStreams.certs(dir.resolve("certs"));
        StreamTls server = StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET));
        StreamTls client = StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.AGENT));
        TestingStreams.MemoryReceiver receiver = new TestingStreams.MemoryReceiver();
        Server s = StreamEndpoints.serve(new InetSocketAddress("127.0.0.1", 0), server, "master-target", receiver);
        int port = s.getPort();
        TestingStreams.ListSource source = new TestingStreams.ListSource("d1", 2000);
        ManagedChannel channel = StreamEndpoints.channel("127.0.0.1", port, client);
        try (StreamSender sender = StreamSender.start("d1", channel, source, StreamSender.Options.defaults())) {
            awaitAcked(source, 2000);
            s.shutdownNow().awaitTermination();
            source.all.add(TestingStreams.write(2001));
            s = StreamEndpoints.serve(new InetSocketAddress("127.0.0.1", port), server, "master-target", receiver);
            awaitAcked(source, 2001);
            assertThat(sender.stats().reconnects.get()).isGreaterThanOrEqualTo(1);
        } finally {
            channel.shutdownNow();
            s.shutdownNow();
        }
        List<Record> got = receiver.disks.get("d1");
        assertThat(got).hasSize(2001);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).getLsn()).isEqualTo(i + 1);
        }
    }

    static void awaitAcked(TestingStreams.ListSource source, long lsn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (source.acked.get() < lsn) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("lsn " + lsn + " not acknowledged; acked " + source.acked.get());
            }
            Thread.sleep(20);
        }
    }
}
