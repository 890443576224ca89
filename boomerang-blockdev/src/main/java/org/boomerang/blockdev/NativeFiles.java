package org.boomerang.blockdev;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.boomerang.common.NativeCalls;

/**
 * The few Linux file system calls the JDK lacks, through the FFM API: {@code open}, {@code close},
 * {@code fallocate} (hole punching, zero ranges), {@code lseek} with {@code SEEK_DATA}/{@code SEEK_HOLE}
 * (allocation maps), {@code mincore} (is a range in the page cache) and {@code posix_fadvise} (start reading
 * a range in). Absent on other systems: {@link #available()} is then false and callers fall back.
 *
 * <p>Each call's downcall handle is made on its first use, in a holder class of its own: making one
 * spins classes for about 25 ms on a cold JVM, and a short command (a tracked sync) needs none of them.
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
final class NativeFiles {
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;
    static final int SEEK_END = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int ENXIO = 6;
    static final int EOPNOTSUPP = 95;
    static final int EINTR = 4;
    static final int POSIX_FADV_WILLNEED = 3;

    private NativeFiles() {}

    /** True on Linux; a call can still fail to link (native access denied), which callers treat as absent. */
    static boolean available() {
        return NativeCalls.LINUX;
    }

    /** Opens {@code path} and returns the file descriptor. */
    static int open(Path path, boolean readOnly) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = (int) Open.HANDLE.invokeExact(state, name, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("open " + path + " failed: errno " + NativeCalls.errno(state));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native open failed", t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            int rc = (int) Close.HANDLE.invokeExact(state, fd);
            assert rc == 0 || rc == -1;
        } catch (Throwable t) {
            throw new IllegalStateException("native close failed", t);
        }
    }

    /**
     * Calls {@code fallocate(fd, mode, offset, length)}. Returns 0 on success or the errno; the
     * caller decides whether {@code EOPNOTSUPP} means "fall back".
     */
    static int fallocate(int fd, int mode, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            while (true) {
                int rc = (int) Fallocate.HANDLE.invokeExact(state, fd, mode, offset, length);
                if (rc == 0) {
                    return 0;
                }
                int errno = NativeCalls.errno(state);
                if (errno != EINTR) {
                    return errno;
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("native fallocate failed", t);
        }
    }

    /**
     * Calls {@code lseek(fd, offset, whence)}. Returns the resulting offset, or {@code -errno}.
     */
    static long lseek(int fd, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            long rc = (long) Lseek.HANDLE.invokeExact(state, fd, offset, whence);
            return rc >= 0 ? rc : -NativeCalls.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("native lseek failed", t);
        }
    }

    /**
     * Calls {@code mincore(address, length, vector)}: one byte per page of the mapped range, whose low bit
     * is set where the page is in the page cache. Returns 0 or -1 (errno is not captured: the caller treats
     * any failure as "unknown"). {@code vector} may be on the heap: the call is short and never blocks, so it
     * is linked as a critical call that takes heap memory without a copy.
     */
    static int mincore(long address, long length, byte[] vector) {
        try {
            return (int) Mincore.HANDLE.invokeExact(MemorySegment.ofAddress(address), length, MemorySegment.ofArray(vector));
        } catch (Throwable t) {
            throw new IllegalStateException("native mincore failed", t);
        }
    }

    /** Calls {@code posix_fadvise(fd, offset, length, advice)}; returns 0 or the error number (it does not set errno). */
    static int fadvise(int fd, long offset, long length, int advice) {
        try {
            return (int) Fadvise.HANDLE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw new IllegalStateException("native posix_fadvise failed", t);
        }
    }

    private static final class Open {
        static final MethodHandle HANDLE = NativeCalls.withErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        static final MethodHandle HANDLE = NativeCalls.withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Fallocate {
        static final MethodHandle HANDLE = NativeCalls.withErrno("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Mincore {
        static final MethodHandle HANDLE = NativeCalls.plain("mincore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), Linker.Option.critical(true));
    }

    private static final class Fadvise {
        static final MethodHandle HANDLE = NativeCalls.plain("posix_fadvise",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class Lseek {
        static final MethodHandle HANDLE = NativeCalls.withErrno("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }
}
