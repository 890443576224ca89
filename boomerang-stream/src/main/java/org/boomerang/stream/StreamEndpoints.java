package org.boomerang.stream;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Servers and channels of the replication wire, always with mutual TLS ({@link StreamTls}) and frames
 * up to {@link #MAX_FRAME_BYTES}.
 */
public final class StreamEndpoints {
    /** The largest frame either side accepts: a batch of about 1 MiB of payload plus headroom. */
    public static final int MAX_FRAME_BYTES = 16 << 20;

    private StreamEndpoints() {}

    /** Starts a server at {@code address} (port 0 picks a free one) serving {@code receiver} as {@code self}. */
    public static Server serve(InetSocketAddress address, StreamTls tls, String self, StreamReceiver receiver) throws IOException {
        return serve(address, tls, self, new ReplicationService(self, receiver));
    }

    /** Starts a server at {@code address} serving {@code service} (kept by the caller, e.g. for {@link ReplicationService#awaitQuiet}). */
    public static Server serve(InetSocketAddress address, StreamTls tls, String self, ReplicationService service) throws IOException {
        return NettyServerBuilder.forAddress(address, tls.serverCredentials())
                .addService(ServerInterceptors.intercept(service, tls.peerCheck(self)))
                .maxInboundMessageSize(MAX_FRAME_BYTES)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
    }

    /**
     * Starts a server at {@code address} serving {@code services} (e.g. the block digests of a role's
     * disks, {@code digests.proto}) behind the same mutual TLS and peer check as the replication wire.
     */
    public static Server serve(InetSocketAddress address, StreamTls tls, String self, BindableService... services) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address, tls.serverCredentials());
        for (BindableService s : services) {
            builder.addService(ServerInterceptors.intercept(s, tls.peerCheck(self)));
        }
        return builder.maxInboundMessageSize(MAX_FRAME_BYTES)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
    }

    /** A channel to {@code host:port}; the server must present a certificate of the same CA naming that host. */
    public static ManagedChannel channel(String host, int port, StreamTls tls) {
        return Grpc.newChannelBuilderForAddress(host, port, tls.channelCredentials())
                .maxInboundMessageSize(MAX_FRAME_BYTES)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
    }
}
