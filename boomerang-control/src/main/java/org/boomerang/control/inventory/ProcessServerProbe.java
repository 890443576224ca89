package org.boomerang.control.inventory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Whether a process server answers at its registered address: a TCP connection opened and closed
 * within a timeout (seed step 1.2: the process server chosen for reprotect must be reachable).
 * Stateless and thread-safe.
 */
public final class ProcessServerProbe {
    /** How long a probe waits for a connection before the process server counts as unreachable. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private ProcessServerProbe() {}

    /** True when {@code server}'s address ({@code host:port}) accepts a TCP connection within {@link #TIMEOUT}. */
    public static boolean reachable(ProcessServer server) {
        String address = server.address();
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return false;
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (port <= 0 || port > 0xFFFF) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
