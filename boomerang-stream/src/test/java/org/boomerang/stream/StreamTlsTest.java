package org.boomerang.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.ReceiverFrame;
import org.boomerang.stream.proto.ReplicationGrpc;
import org.boomerang.stream.proto.SenderFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS: certificates from {@code certs init}, and the refusals of a wrong, expired or missing certificate. */
class StreamTlsTest {
    @TempDir
    Path dir;

    private Path certs;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        certs = TestingStreams.certs(dir.resolve("certs"));
        server = StreamEndpoints.serve(new InetSocketAddress("127.0.0.1", 0),
                StreamTls.load(TlsFiles.inDirectory(certs, CertificateAuthority.MASTER_TARGET)), "master-target",
                new TestingStreams.MemoryReceiver());
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void certsInitWritesPrivateKeysOwnerOnlyAndKeepsAnExistingSet() throws Exception {
        for (String name : new String[] {"ca", "agent", "process-server", "master-target"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(name + ".key")))).isEqualTo("rw-------");
            assertThat(certs.resolve(name + ".crt")).exists();
        }
        byte[] before = Files.readAllBytes(certs.resolve("ca.crt"));
        assertThat(CertificateAuthority.initDirectory(certs, Set.of()).created()).isFalse();
        assertThat(Files.readAllBytes(certs.resolve("ca.crt"))).isEqualTo(before);
    }

    @Test
    void aPrivateKeyOthersMayReadIsRefusedBeforeItIsUsed() throws Exception {
        Path key = certs.resolve("agent.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> StreamTls.load(TlsFiles.inDirectory(certs, "agent"))).isInstanceOf(StreamException.class)
                .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamError.PRIVATE_KEY_TOO_OPEN))
                .hasMessageContaining(key.toString()).hasMessageContaining("rw-r--r--");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw--w----"));
        assertThatThrownBy(() -> StreamTls.load(TlsFiles.inDirectory(certs, "agent"))).isInstanceOf(StreamException.class);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertThat(StreamTls.load(TlsFiles.inDirectory(certs, "agent"))).isNotNull();
    }

    @Test
    void aPeerOfTheSameCaIsServed() throws Exception {
        ManagedChannel ch = StreamEndpoints.channel("127.0.0.1", server.getPort(), StreamTls.load(TlsFiles.inDirectory(certs, "agent")));
        try {
            assertThat(hello(ch).getFrameCase()).isEqualTo(ReceiverFrame.FrameCase.WELCOME);
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aPeerOfAnotherCaIsRefusedNamingThePeerAndTheReason() throws Exception {
        Path other = TestingStreams.certs(dir.resolve("other"));
        ManagedChannel ch = StreamEndpoints.channel("127.0.0.1", server.getPort(), new Mixed(other, certs).tls());
        try {
            assertThatThrownBy(() -> hello(ch)).isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("PEER_CERTIFICATE_REFUSED").hasMessageContaining("refused peer /127.0.0.1:")
                    .hasMessageContaining("not signed by this site's CA");
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        CertificateAuthority ca = CertificateAuthority.load(certs);
        Path expired = dir.resolve("expired");
        Files.createDirectories(expired);
        ca.issue("agent", Set.of("localhost", "127.0.0.1"), Instant.now().minusSeconds(7200), Instant.now().minusSeconds(3600))
                .write(expired, "agent");
        ManagedChannel ch = StreamEndpoints.channel("127.0.0.1", server.getPort(), StreamTls.load(new TlsFiles(certs.resolve("ca.crt"),
                expired.resolve("agent.crt"), expired.resolve("agent.key"))));
        try {
            assertThatThrownBy(() -> hello(ch)).isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("PEER_CERTIFICATE_REFUSED").hasMessageContaining("expired");
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aPeerWithoutCertificateIsRefused() throws Exception {
        ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
                TlsChannelCredentials.newBuilder().trustManager(new File(certs.resolve("ca.crt").toString())).build()).build();
        try {
            assertThatThrownBy(() -> hello(ch)).isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("PEER_CERTIFICATE_REFUSED").hasMessageContaining("presented no certificate");
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aServerOfAnotherCaIsRefusedByTheClient() throws Exception {
        Path other = TestingStreams.certs(dir.resolve("other"));
        ManagedChannel ch = StreamEndpoints.channel("127.0.0.1", server.getPort(), StreamTls.load(TlsFiles.inDirectory(other, "agent")));
        try {
            assertThatThrownBy(() -> hello(ch)).isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(StreamSender.describe(((StatusRuntimeException) e).getStatus()))
                            .contains("PEER_CERTIFICATE_REFUSED").contains("refused server"));
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aPlainTextPeerGetsNoService() {
        ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create()).build();
        try {
            assertThatThrownBy(() -> hello(ch)).isInstanceOf(StatusRuntimeException.class);
        } finally {
            ch.shutdownNow();
        }
    }

    /** A client certificate of one CA that trusts the server's CA (a peer that was given the wrong certificate). */
    private record Mixed(Path clientCerts, Path serverCa) {
        StreamTls tls() {
            return StreamTls.load(new TlsFiles(serverCa.resolve("ca.crt"), clientCerts.resolve("agent.crt"), clientCerts.resolve("agent.key")));
        }
    }

    /** Sends a hello on a blocking-ish stream and returns the first answer (or throws the call's status). */
    private static ReceiverFrame hello(ManagedChannel ch) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Object> got = new java.util.concurrent.LinkedBlockingQueue<>();
        var out = ReplicationGrpc.newStub(ch).replicate(new io.grpc.stub.StreamObserver<>() {
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
        });
        Hello h = TestingStreams.hello("d1");
        out.onNext(SenderFrame.newBuilder().setHello(h).build());
        Object o = got.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        out.onCompleted();
        if (o instanceof StatusRuntimeException e) {
            throw e;
        }
        if (o instanceof Throwable t) {
            throw new AssertionError(t);
        }
        return (ReceiverFrame) o;
    }
}
