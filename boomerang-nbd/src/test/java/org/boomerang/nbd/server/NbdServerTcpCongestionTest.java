package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The congestion control of the server's connections, as {@code ss} (iproute2) reports it for the server's
 * side of a real connection: cubic by default, the one asked for, or the system's.
 */
class NbdServerTcpCongestionTest {
    @TempDir
    Path dir;

    private RawFileBlockDevice disk;

    @BeforeEach
    void open() throws Exception {
        disk = RawFileBlockDevice.create(dir.resolve("d.img"), 1 << 20);
    }

    @AfterEach
    void close() throws Exception {
        disk.close();
    }

    private NbdServer.Builder server() {
        return NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", disk);
    }

    /** The algorithm ss names for the server's end of a connection a client just opened. */
    private String algorithmOfAServedConnection(NbdServer server) throws Exception {
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            ExternalTools.Result ss = ExternalTools.run(dir, "ss", "-tinH", "state", "established",
                    "( sport = :" + server.port() + " )").ok();
            List<String> available = List.of(Files.readString(Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control")).strip().split("\\s+"));
            return Arrays.stream(ss.out().split("\\s+")).filter(available::contains).findFirst()
                    .orElseThrow(() -> new AssertionError("ss names none of " + available + " in:\n" + ss.out()));
        }
    }

    @Test
    void connectionsUseCubicByDefaultWhateverTheSystemDefault() throws Exception {
        try (NbdServer server = server().build().start()) {
            assertThat(algorithmOfAServedConnection(server)).isEqualTo(NbdServer.DEFAULT_TCP_CONGESTION);
        }
    }

    @Test
    void connectionsUseTheAlgorithmAskedFor() throws Exception {
        try (NbdServer server = server().tcpCongestion("reno").build().start()) {
            assertThat(algorithmOfAServedConnection(server)).isEqualTo("reno");
        }
    }

    @Test
    void systemKeepsTheSystemsDefault() throws Exception {
        try (NbdServer server = server().tcpCongestion(NbdServer.SYSTEM_TCP_CONGESTION).build().start()) {
            assertThat(algorithmOfAServedConnection(server)).isEqualTo(NativeSocketsTest.systemDefault());
        }
    }

    @Test
    void anAlgorithmTheKernelLacksFailsTheStartAndFreesThePort() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            port = ((InetSocketAddress) probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getLocalAddress()).getPort();
        }
        NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), port).export("d", disk)
                .tcpCongestion("no_such_cc").build();
        assertThatThrownBy(server::start).isInstanceOfSatisfying(NbdProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(NbdError.TCP_CONGESTION);
            assertThat(e.describe()).contains("no_such_cc").contains("--tcp-congestion system");
        });
        server.close();
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // the failed start let go of its port
        }
    }

    @Test
    void aMalformedNameIsRefusedBeforeAnythingStarts() {
        for (String bad : new String[] {"BBR", "cubic;reno", "", "a_name_longer_than_15"}) {
            assertThatThrownBy(() -> server().tcpCongestion(bad)).as(bad).isInstanceOfSatisfying(NbdProtocolException.class,
                    e -> assertThat(e.code()).isEqualTo(NbdError.TCP_CONGESTION));
        }
    }

    @Test
    void withoutTheJdkExportANamedAlgorithmFailsAndTheDefaultOnlyWarns() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ExternalTools.Result probe = ExternalTools.run(dir, java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), WithoutExportProbe.class.getName(), dir.resolve("p.img").toString()).ok();
        assertThat(probe.out()).contains("fd=-1")
                .contains("named algorithm: TCP_CONGESTION").contains("java.base/sun.nio.ch").contains("--tcp-congestion system")
                .contains("default: started on port");
        assertThat(probe.err()).contains("connections keep the system's TCP congestion control, not 'cubic'");
    }
}
