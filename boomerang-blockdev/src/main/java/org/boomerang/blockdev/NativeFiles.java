package org.boomerang.blockdev;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few Linux file system calls the JDK lacks, through the FFM API: {@code open}, {@code close},
 * {@code fallocate} (hole punching, zero ranges) and {@code lseek} with {@code SEEK_DATA}/{@code SEEK_HOLE}
 * (allocation maps). Absent on other systems: {@link #available()} is then false and callers fall back.
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

    private static final Calls CALLS = Calls.load().orElse(null);

    private NativeFiles() {}

    static boolean available() {
        return CALLS != null;
    }

    /** Opens {@code path} and returns the file descriptor. */
    static int open(Path path, boolean readOnly) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALLS.stateLayout);
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = (int) CALLS.open.invokeExact(state, name, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("open " + path + " failed: errno " + errno(state));
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
            MemorySegment state = arena.allocate(CALLS.stateLayout);
            int rc = (int) CALLS.close.invokeExact(state, fd);
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
            MemorySegment state = arena.allocate(CALLS.stateLayout);
            while (true) {
                int rc = (int) CALLS.fallocate.invokeExact(state, fd, mode, offset, length);
                if (rc == 0) {
                    return 0;
                }
                int errno = errno(state);
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
            MemorySegment state = arena.allocate(CALLS.stateLayout);
            long rc = (long) CALLS.lseek.invokeExact(state, fd, offset, whence);
            return rc >= 0 ? rc : -errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("native lseek failed", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) CALLS.errno.get(state, 0L);
    }

    private record Calls(MethodHandle open, MethodHandle close, MethodHandle fallocate, MethodHandle lseek,
                         StructLayout stateLayout, VarHandle errno) {
        static Optional<Calls> load() {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return Optional.empty();
            }
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                StructLayout stateLayout = Linker.Option.captureStateLayout();
                VarHandle errnoHandle = stateLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                MethodHandle open = linker.downcallHandle(lookup.find("open").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        errno, Linker.Option.firstVariadicArg(2));
                MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                MethodHandle fallocate = linker.downcallHandle(lookup.find("fallocate").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
                MethodHandle lseek = linker.downcallHandle(lookup.find("lseek").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
                return Optional.of(new Calls(open, close, fallocate, lseek, stateLayout, errnoHandle));
            } catch (RuntimeException | LinkageError e) {
                // No native access (e.g. --enable-native-access denied): callers fall back to plain Java I/O.
                return Optional.empty();
            }
        }
    }
}
