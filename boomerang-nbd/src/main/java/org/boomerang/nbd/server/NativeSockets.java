package org.boomerang.nbd.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import org.boomerang.common.NativeCalls;

/**
 * The one TCP socket option the JDK lacks, through the FFM API: {@code TCP_CONGESTION}, the congestion
 * control algorithm of one socket (see {@code NbdServer.Builder#tcpCongestion} for why the NBD server sets
 * it).
 *
 * <p>The JDK gives no public way to a channel's file descriptor; it is read through
 * {@code sun.nio.ch.SelChImpl.getFDVal()}, which the JVM must export to Boomerang
 * ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}: {@code bin/boomerang}, the jar's manifest and
 * the test runs pass it). Without it, or off Linux, {@link #fd} answers -1 and callers leave the socket as
 * the system made it.
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
final class NativeSockets {
    static final int IPPROTO_TCP = 6;
    static final int TCP_CONGESTION = 13;
    /** TCP_CA_NAME_MAX in the kernel: the longest algorithm name plus its NUL. */
    static final int CA_NAME_MAX = 16;
    static final int ENOENT = 2;
    static final int EPERM = 1;

    private NativeSockets() {}

    /** The channel's file descriptor, or -1 when it cannot be had (not Linux, or the JDK's package not exported). */
    static int fd(NetworkChannel channel) {
        MethodHandle h = Fd.HANDLE;
        if (!NativeCalls.LINUX || h == null) {
            return -1;
        }
        try {
            return (int) h.invoke(channel);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Why {@link #fd} answers -1, for the log; null when it works. */
    static String fdUnavailableReason() {
        if (!NativeCalls.LINUX) {
            return "not Linux";
        }
        return Fd.HANDLE == null ? Fd.reason : null;
    }

    /** Sets the socket's congestion control algorithm; 0 on success, else the errno (ENOENT: no such algorithm). */
    static int setCongestionControl(int fd, String algorithm) {
        byte[] name = algorithm.getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            MemorySegment value = arena.allocate(name.length);
            value.copyFrom(MemorySegment.ofArray(name));
            int rc = (int) SetSockOpt.HANDLE.invokeExact(state, fd, IPPROTO_TCP, TCP_CONGESTION, value, name.length);
            return rc == 0 ? 0 : NativeCalls.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("native setsockopt failed", t);
        }
    }

    /** The socket's congestion control algorithm, or null when it cannot be read. */
    static String congestionControl(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            MemorySegment value = arena.allocate(CA_NAME_MAX);
            MemorySegment length = arena.allocateFrom(JAVA_INT, CA_NAME_MAX);
            int rc = (int) GetSockOpt.HANDLE.invokeExact(state, fd, IPPROTO_TCP, TCP_CONGESTION, value, length);
            if (rc != 0) {
                return null;
            }
            return value.getString(0, StandardCharsets.US_ASCII); // NUL-terminated: names are at most 15 characters
        } catch (Throwable t) {
            throw new IllegalStateException("native getsockopt failed", t);
        }
    }

    private static final class Fd {
        static String reason;
        static final MethodHandle HANDLE = find();

        private static MethodHandle find() {
            try {
                Class<?> impl = Class.forName("sun.nio.ch.SelChImpl");
                return MethodHandles.lookup().findVirtual(impl, "getFDVal", MethodType.methodType(int.class))
                        .asType(MethodType.methodType(int.class, NetworkChannel.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                reason = "the JVM does not export java.base/sun.nio.ch to Boomerang (" + e.getClass().getSimpleName() + ")";
                return null;
            }
        }
    }

    private static final class SetSockOpt {
        static final MethodHandle HANDLE = NativeCalls.withErrno("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class GetSockOpt {
        static final MethodHandle HANDLE = NativeCalls.withErrno("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
}
