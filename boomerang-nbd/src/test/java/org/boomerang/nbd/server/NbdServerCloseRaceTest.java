package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a server while a client has just connected: the connection being taken in is ended, not tripped over. */
class NbdServerCloseRaceTest {
    @TempDir
    Path dir;

    @Test
    void closeRightAfterAClientConnectsNeverFails() throws Exception {
        try (RawFileBlockDevice disk = RawFileBlockDevice.create(dir.resolve("d.img"), 1 << 20)) {
            for (int i = 0; i < 300; i++) {
                NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", disk).build().start();
                try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
                    server.close(); // the acceptor may be between accepting this client and starting its thread
                    assertThat(client.isConnected()).isTrue();
                }
            }
        }
    }
}
