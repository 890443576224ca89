package org.boomerang.dataplane.roles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 (a port picked free) in front of one role, for the fault tests: it forwards
 * bytes both ways until {@link #cutAfter} is armed, then forwards exactly that many more bytes towards
 * the role and resets both sides of every connection, so the cut lands inside a TLS record, an HTTP/2
 * frame and most often inside a replication record.
 *
 * <p>Thread-safety: safe; one platform thread accepts and two pump each connection.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    /** Bytes still allowed towards the role before the cut, or -1 when no cut is armed. */
    private final AtomicLong budget = new AtomicLong(-1);
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile boolean closed;

    /** Both sockets of one proxied connection. */
    private record Link(Socket client, Socket upstream) {
        void reset() {
            for (Socket s : List.of(client, upstream)) {
                try {
                    s.setSoLinger(true, 0);
                    s.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }
    }

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().name("proxy-accept-" + targetPort).daemon().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Cuts every connection once {@code bytes} more bytes went towards the role (0: now). */
    void cutAfter(long bytes) {
        budget.set(bytes);
        if (bytes == 0) {
            cutNow();
        }
    }

    /** How many cuts happened. */
    int cuts() {
        return cuts.get();
    }

    /** Bytes forwarded towards the role so far. */
    long forwarded() {
        return forwarded.get();
    }

    /** True while a cut is armed and has not happened yet. */
    boolean armed() {
        return budget.get() >= 0;
    }

    private void cutNow() {
        budget.set(-1);
        cuts.incrementAndGet();
        for (Link l : links) {
            l.reset();
        }
        links.clear();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                Thread.ofPlatform().daemon().start(() -> pump(link, client, upstream, true));
                Thread.ofPlatform().daemon().start(() -> pump(link, upstream, client, false));
            } catch (IOException e) {
                try {
                    client.setSoLinger(true, 0);
                    client.close();
                } catch (IOException ignored) {
                    // the role behind is away: the client sees a reset
                }
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, boolean towardsRole) {
        byte[] buf = new byte[16 << 10];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (towardsRole) {
                    long left = budget.get();
                    if (left >= 0 && n >= left) {
                        out.write(buf, 0, (int) left);
                        out.flush();
                        forwarded.addAndGet(left);
                        cutNow();
                        return;
                    }
                    if (left >= 0) {
                        budget.compareAndSet(left, left - n);
                    }
                    forwarded.addAndGet(n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut or closed
        } finally {
            links.remove(link);
            link.reset();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Link l : links) {
            l.reset();
        }
    }
}
