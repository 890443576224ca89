package org.boomerang.dataplane.digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.SyncMode;
import org.boomerang.dataplane.roles.Replication;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.TlsFiles;
import org.boomerang.sync.BlockDigester;
import org.boomerang.sync.SyncDisk;
import org.boomerang.sync.SyncEngine;
import org.boomerang.sync.SyncOptions;
import org.boomerang.sync.SyncReport;
import org.boomerang.sync.SyncRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests next to the disk, with the in-process roles over real gRPC and mutual TLS: two agents' disks
 * that differ in a few blocks; a delta sync between their NBD exports with each side's digests served
 * by its agent reads over NBD only the differing blocks of the source and writes them at the target;
 * the master target's digests of the replica equal the agent's of the disk; a wrong certificate, an
 * unknown disk and a bad range are refused with their codes.
 */
class RemoteDigestsTest {
    static final long SIZE = 16L << 20;
    static final int BLOCK = SyncOptions.DEFAULT_BLOCK_SIZE;

    @TempDir
    Path dir;

    @Test
    void aDeltaSyncWithRemoteDigestsReadsAndWritesOnlyTheDifferingBlocks() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(15).nextBytes(data);
        long[] differing = {20, 70, 71, 140};
        try (Replication a = Replication.start(dir.resolve("a"), Replication.Options.of("disk0", SIZE, null));
             Replication b = Replication.start(dir.resolve("b"), Replication.Options.of("disk0", SIZE, null))) {
            write(a.nbdUri("disk0"), 1 << 20, data);
            byte[] changed = data.clone();
            for (long block : differing) {
                int at = (int) (block * BLOCK - (1 << 20));
                Arrays.fill(changed, at + 100, at + 200, (byte) 0x5a);
            }
            write(b.nbdUri("disk0"), 1 << 20, changed);
            assertThat(a.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();
            assertThat(b.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();

            StreamTls tlsA = tls(dir.resolve("a/certs"));
            StreamTls tlsB = tls(dir.resolve("b/certs"));
            SyncReport report;
            try (NbdBlockDevice source = NbdBlockDevice.open(NbdUri.parse(a.nbdUri("disk0")));
                 NbdBlockDevice target = NbdBlockDevice.open(NbdUri.parse(b.nbdUri("disk0")));
                 RemoteBlockDigester sd = RemoteBlockDigester.connect("127.0.0.1", a.agent().digestsPort(), tlsA, "disk0", BLOCK);
                 RemoteBlockDigester td = RemoteBlockDigester.connect("127.0.0.1", b.agent().digestsPort(), tlsB, "disk0", BLOCK);
                 SyncEngine engine = new SyncEngine(SyncOptions.defaults(), Clock.SYSTEM)) {
                report = engine.run(SyncRequest.of(SyncMode.DELTA, new SyncDisk(source, a.nbdUri("disk0"), true),
                        new SyncDisk(target, b.nbdUri("disk0"), true)), Optional.of(sd), Optional.of(td));
                // The digest servers read the data they hold (8 MiB written; holes are not read) for the region
                // pass, then the three differing 1 MiB regions again for their block digests; this process none.
                assertThat(sd.remoteBytesRead()).isEqualTo((8L << 20) + (3L << 20));
                assertThat(td.remoteBytesRead()).isEqualTo((8L << 20) + (3L << 20));
            }
            long differingBytes = differing.length * (long) BLOCK;
            assertThat(report.sourceBytesRead()).as("read over NBD at the source: only the differing blocks").isEqualTo(differingBytes);
            assertThat(report.targetBytesRead()).as("nothing of the target read here").isZero();
            assertThat(report.blocksChanged()).isEqualTo(differing.length);
            assertThat(report.bytesSent()).isEqualTo(differingBytes);
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("source digested next to the disk by 127.0.0.1:"))
                    .anySatisfy(n -> assertThat(n).startsWith("target digested next to the disk by 127.0.0.1:"));
            assertThat(report.toText()).contains("digested next to the disk");
            assertThat(b.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();

            // The master target's digests of its replica (latest durable state) equal the agent's of its disk.
            try (RemoteBlockDigester agentSide = RemoteBlockDigester.connect("127.0.0.1", b.agent().digestsPort(), tlsB, "disk0", BLOCK);
                 RemoteBlockDigester replica = RemoteBlockDigester.connect("127.0.0.1", b.masterTarget().port(), tlsB, "disk0", BLOCK)) {
                assertThat(replica.size()).isEqualTo(SIZE);
                assertThat(replica.provenance()).contains("journal disk0 at lsn ");
                assertThat(replica.regionDigests(1 << 20)).isEqualTo(agentSide.regionDigests(1 << 20));
                assertThat(replica.blockDigests(60, 20)).isEqualTo(agentSide.blockDigests(60, 20));
            }
            // A named state of the replica: its newest LSN is the same state.
            long last = b.agent().targetDurableLsn("disk0");
            try (RemoteBlockDigester agentSide = RemoteBlockDigester.connect("127.0.0.1", b.agent().digestsPort(), tlsB, "disk0", BLOCK);
                 RemoteBlockDigester atLast = RemoteBlockDigester.connect("127.0.0.1", b.masterTarget().port(), tlsB, "disk0@lsn:" + last, BLOCK)) {
                assertThat(atLast.provenance()).contains("at lsn " + last);
                assertThat(atLast.regionDigests(1 << 20)).isEqualTo(agentSide.regionDigests(1 << 20));
            }
            assertThatThrownBy(() -> RemoteBlockDigester.connect("127.0.0.1", b.masterTarget().port(), tlsB, "disk0@lsn:999999999", BLOCK))
                    .isInstanceOf(StreamException.class)
                    .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.BAD_DIGEST_REQUEST))
                    .hasMessageContaining("POINT_NOT_FOUND");
            // A state inside the initial copy's inconsistent window is no state of the disk: refused, not digested.
            assertThatThrownBy(() -> RemoteBlockDigester.connect("127.0.0.1", b.masterTarget().port(), tlsB, "disk0@lsn:1", BLOCK))
                    .isInstanceOf(StreamException.class)
                    .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.BAD_DIGEST_REQUEST))
                    .hasMessageContaining("INCONSISTENT_POINT");
        }
        byte[] sourceImage = Files.readAllBytes(dir.resolve("a/agent/disk0.img"));
        byte[] targetImage = Files.readAllBytes(dir.resolve("b/agent/disk0.img"));
        assertThat(Arrays.equals(sourceImage, targetImage)).as("the target equals the source after the delta sync").isTrue();
    }

    @Test
    void remoteDigestsEqualTheSyncEnginesOwnAndVerifyFindsExactlyTheDifferences() throws Exception {
        try (Replication a = Replication.start(dir.resolve("a"), Replication.Options.of("disk0", SIZE - 4096, null))) {
            byte[] data = new byte[3 << 20];
            new Random(7).nextBytes(data);
            write(a.nbdUri("disk0"), SIZE - 4096 - data.length, data);
            write(a.nbdUri("disk0"), 0, Arrays.copyOf(data, 100_000));
            Path copy = dir.resolve("copy.img");
            Files.copy(dir.resolve("a/agent/disk0.img"), copy);
            StreamTls tls = tls(dir.resolve("a/certs"));
            try (RawFileBlockDevice local = RawFileBlockDevice.open(copy, false);
                 SyncEngine engine = new SyncEngine(SyncOptions.defaults(), Clock.SYSTEM)) {
                assertThat(verify(engine, a, tls, local).identical()).as("same digests on both sides (short last block too)").isTrue();
                local.write(5L << 20, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
                local.write(SIZE - 4096 - 10, ByteBuffer.wrap(new byte[] {9}), false);
                SyncReport r = verify(engine, a, tls, local);
                long lastBlock = (SIZE - 4096 - 1) / BLOCK * BLOCK;
                assertThat(r.differingRanges()).containsExactly(new ByteRange(5L << 20, BLOCK),
                        new ByteRange(lastBlock, SIZE - 4096 - lastBlock));
            }
        }
    }

    @Test
    void aWrongCertificateAnUnknownDiskAndABadRangeAreRefused() throws Exception {
        try (Replication a = Replication.start(dir.resolve("a"), Replication.Options.of("disk0", SIZE, null))) {
            Path other = dir.resolve("other");
            CertificateAuthority.initDirectory(other, java.util.Set.of());
            // A peer given a certificate of another site's CA (that trusts this site's CA).
            StreamTls wrong = StreamTls.load(new TlsFiles(dir.resolve("a/certs/ca.crt"), other.resolve("agent.crt"), other.resolve("agent.key")));
            for (int port : new int[] {a.agent().digestsPort(), a.masterTarget().port()}) {
                assertThatThrownBy(() -> RemoteBlockDigester.connect("127.0.0.1", port, wrong, "disk0", BLOCK))
                        .isInstanceOf(StreamException.class)
                        .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.PEER_CERTIFICATE_REFUSED))
                        .hasMessageContaining("not signed by this site's CA");
            }
            StreamTls tls = tls(dir.resolve("a/certs"));
            assertThatThrownBy(() -> RemoteBlockDigester.connect("127.0.0.1", a.agent().digestsPort(), tls, "disk9", BLOCK))
                    .isInstanceOf(StreamException.class)
                    .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.WRONG_DISK))
                    .hasMessageContaining("disk9");
            int closed;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                closed = free.getLocalPort();
            }
            assertThatThrownBy(() -> RemoteBlockDigester.connect("127.0.0.1", closed, tls, "disk0", BLOCK))
                    .isInstanceOf(StreamException.class)
                    .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.DIGESTS_UNAVAILABLE))
                    .hasMessageContaining("127.0.0.1:" + closed);
            try (RemoteBlockDigester d = RemoteBlockDigester.connect("127.0.0.1", a.agent().digestsPort(), tls, "disk0", BLOCK)) {
                assertThatThrownBy(() -> d.blockDigests(SIZE / BLOCK - 1, 2)).isInstanceOf(StreamException.class)
                        .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.BAD_DIGEST_REQUEST))
                        .hasMessageContaining("outside disk disk0");
            }
        }
    }

    private static SyncReport verify(SyncEngine engine, Replication a, StreamTls tls, RawFileBlockDevice local) throws Exception {
        try (NbdBlockDevice source = NbdBlockDevice.open(NbdUri.parse(a.nbdUri("disk0")));
             BlockDigester sd = RemoteBlockDigester.connect("127.0.0.1", a.agent().digestsPort(), tls, "disk0", BLOCK)) {
            return engine.run(SyncRequest.of(SyncMode.VERIFY, new SyncDisk(source, "source", true), new SyncDisk(local, "copy", false)),
                    Optional.of(sd), Optional.empty());
        }
    }

    private static StreamTls tls(Path certs) {
        return StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.AGENT));
    }

    private static void write(String uri, long offset, byte[] bytes) throws Exception {
        try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(uri))) {
            d.write(offset, ByteBuffer.wrap(bytes), false);
            d.flush();
        }
    }
}
