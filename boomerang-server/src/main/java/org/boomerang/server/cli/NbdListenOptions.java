package org.boomerang.server.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.boomerang.nbd.server.NbdServer;
import picocli.CommandLine.Option;

/**
 * Where and how a command that serves NBD listens: {@code --bind ADDR} (default 127.0.0.1), {@code --port P}
 * (default 10809; 0 picks a free one) and {@code --tcp-congestion ALGORITHM} (default cubic whatever the
 * system's default is, {@code system} to keep the system's; see {@link NbdServer}'s class comment for why).
 * Shared by {@code nbd serve}, {@code journal serve} and
 * {@code journal record} as a picocli mixin.
 */
public final class NbdListenOptions {
    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + NbdProtocol.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--tcp-congestion", paramLabel = "ALGORITHM",
            description = "TCP congestion control of the served connections (default: " + NbdServer.DEFAULT_TCP_CONGESTION
                    + ", whatever the system's default; '" + NbdServer.SYSTEM_TCP_CONGESTION + "' keeps the system's).")
    String tcpCongestion;

    /** A server builder bound where these options say, with their congestion control; exports are the caller's. */
    NbdServer.Builder serverBuilder() {
        NbdServer.Builder builder = NbdServer.builder().bind(address(), port);
        if (tcpCongestion != null) {
            builder.tcpCongestion(tcpCongestion);
        }
        return builder;
    }

    /** The address to bind; an unknown name is a usage error that says what to give instead. */
    private InetAddress address() {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine; use e.g. 127.0.0.1 or 0.0.0.0");
        }
    }
}
