package org.boomerang.nbd.server;

import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.codec.NbdProtocolException;

/**
 * Run in a JVM that does not export java.base/sun.nio.ch (see
 * {@link NbdServerTcpCongestionTest#withoutTheJdkExportANamedAlgorithmFailsAndTheDefaultOnlyWarns}): prints
 * what the server does when it cannot reach a socket's descriptor.
 */
final class WithoutExportProbe {
    private WithoutExportProbe() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            System.out.println("fd=" + NativeSockets.fd(ch));
        }
        try (RawFileBlockDevice disk = RawFileBlockDevice.create(Path.of(args[0]), 1 << 20)) {
            try (NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", disk)
                    .tcpCongestion("reno").build()) {
                server.start();
                System.out.println("named algorithm: started");
            } catch (NbdProtocolException e) {
                System.out.println("named algorithm: " + e.describe());
            }
            try (NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", disk).build().start()) {
                System.out.println("default: started on port " + server.port());
            }
        }
    }
}
