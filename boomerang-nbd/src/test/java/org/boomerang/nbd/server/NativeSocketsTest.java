package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** TCP_CONGESTION through the FFM API, read back from the kernel. */
class NativeSocketsTest {
    @Test
    void aConnectedSocketTakesTheAlgorithmItIsGivenAndReportsIt() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            assertThat(NativeSockets.fdUnavailableReason()).isNull();
            int fd = NativeSockets.fd(client);
            assertThat(fd).isGreaterThanOrEqualTo(0).isNotEqualTo(NativeSockets.fd(accepted));

            assertThat(NativeSockets.setCongestionControl(fd, "reno")).isZero();
            assertThat(NativeSockets.congestionControl(fd)).isEqualTo("reno");
            assertThat(NativeSockets.setCongestionControl(fd, "cubic")).isZero();
            assertThat(NativeSockets.congestionControl(fd)).isEqualTo("cubic");
        }
    }

    @Test
    void anAlgorithmTheKernelLacksIsRefusedWithEnoentAndChangesNothing() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int fd = NativeSockets.fd(listener);
            String before = NativeSockets.congestionControl(fd);
            assertThat(before).isNotBlank();

            assertThat(NativeSockets.setCongestionControl(fd, "no_such_cc")).isEqualTo(NativeSockets.ENOENT);
            assertThat(NativeSockets.congestionControl(fd)).isEqualTo(before);
        }
    }

    @Test
    void acceptedConnectionsInheritTheListenersAlgorithm() throws Exception {
        String other = systemDefault().equals("reno") ? "cubic" : "reno"; // not what the client gets
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(NativeSockets.setCongestionControl(NativeSockets.fd(listener), other)).isZero();
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel accepted = listener.accept()) {
                assertThat(NativeSockets.congestionControl(NativeSockets.fd(accepted))).isEqualTo(other);
                assertThat(NativeSockets.congestionControl(NativeSockets.fd(client))).isEqualTo(systemDefault());
            }
        }
    }

    static String systemDefault() throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip();
    }
}
