package org.boomerang.common;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * What Boomerang's calls into the C library through the FFM API share: whether this is Linux, downcall
 * handles looked up in the C library, and errno capture. The few system calls the JDK lacks are made through
 * it (blockdev's {@code NativeFiles}, nbd's {@code NativeSockets}); each keeps its own handles, made on first
 * use, since making one spins classes for about 25 ms on a cold JVM.
 *
 * <pre>{@code
 * MethodHandle close = NativeCalls.withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
 * try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment state = NativeCalls.callState(arena);
 *     int rc = (int) close.invokeExact(state, fd);            // the call state comes first
 *     if (rc != 0) { int errno = NativeCalls.errno(state); }
 * }
 * }</pre>
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
public final class NativeCalls {
    /** True on Linux, the one system whose calls Boomerang makes; elsewhere callers fall back to plain Java. */
    public static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private NativeCalls() {}

    /**
     * A handle for the C library function {@code name} that records errno: its first argument is a call
     * state from {@link #callState}, then the function's own.
     */
    public static MethodHandle withErrno(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return plain(name, descriptor, options);
    }

    /** A handle for the C library function {@code name} that does not record errno. */
    public static MethodHandle plain(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }

    /** Room in {@code arena} for what one call through a {@link #withErrno} handle records. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno a call recorded in {@code callState}. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }
}
