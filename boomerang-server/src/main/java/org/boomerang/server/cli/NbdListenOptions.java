package org.boomerang.server.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.boomerang.nbd.protocol.NbdProtocol;
import picocli.CommandLine.Option;

/**
 * Where a command that serves NBD listens: {@code --bind ADDR} (default 127.0.0.1) and {@code --port P}
 * (default 10809; 0 picks a free one). Shared by {@code nbd serve}, {@code journal serve} and
 * {@code journal record} as a picocli mixin.
 */
public final class NbdListenOptions {
    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + NbdProtocol.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    int port() {
        return port;
    }

    /** The address to bind; an unknown name is a usage error that says what to give instead. */
    InetAddress address() {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine; use e.g. 127.0.0.1 or 0.0.0.0");
        }
    }
}
