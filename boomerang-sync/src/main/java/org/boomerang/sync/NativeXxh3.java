package org.boomerang.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.boomerang.common.NativeCalls;

/**
 * XXH3-128 by the reference C library, xxHash's {@code libxxhash.so.0} (Debian's libxxhash0, which rsync
 * links too), called through the FFM API. It is the same function as zero-allocation-hashing's
 * {@code xx128()}, bit for bit ({@code BlockHashTest}), but vectorised and already machine code: on the
 * benchmark machine 8.3 GiB/s against 5.9 over 64 KiB blocks (bench/DigestChoice.java), and no JIT warm-up, which was half of a
 * cold 2 GiB delta sync (0.92 s cold against 0.44 s warm). Where the library is absent or native access is
 * refused, {@link #available()} is false and {@link BlockHash} digests in Java; set
 * {@code -Dboomerang.digest.native=false} to force that.
 *
 * <p>Thread-safety: safe; each thread has its own result buffer.
 */
final class NativeXxh3 {
    private NativeXxh3() {}

    /** True when the C library is loaded and linked. */
    static boolean available() {
        return Binding.HANDLE != null;
    }

    /** Digests {@code memory} (native memory) into {@code out[at]} (low 64 bits) and {@code out[at + 1]}. */
    static void hash(MemorySegment memory, long[] out, int at) {
        MemorySegment result = Binding.RESULT.get();
        try {
            MemorySegment r = (MemorySegment) Binding.HANDLE.invokeExact((SegmentAllocator) (size, align) -> result,
                    memory, memory.byteSize());
            out[at] = r.get(ValueLayout.JAVA_LONG, 0);
            out[at + 1] = r.get(ValueLayout.JAVA_LONG, 8);
        } catch (Throwable t) {
            throw new IllegalStateException("XXH3_128bits failed", t);
        }
    }

    /** Loaded on first use: linking costs tens of milliseconds that commands without a digest never pay. */
    private static final class Binding {
        /** XXH128_hash_t: {low64, high64}, returned by value. */
        static final StructLayout HASH = MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("low64"),
                ValueLayout.JAVA_LONG.withName("high64"));
        static final MethodHandle HANDLE = link();
        static final ThreadLocal<MemorySegment> RESULT = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(HASH));

        private static MethodHandle link() {
            if (!Boolean.parseBoolean(System.getProperty("boomerang.digest.native", "true"))
                    || !NativeCalls.LINUX) {
                return null;
            }
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup("libxxhash.so.0", Arena.global());
                return Linker.nativeLinker().downcallHandle(lib.find("XXH3_128bits").orElseThrow(),
                        FunctionDescriptor.of(HASH, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(false));
            } catch (RuntimeException | LinkageError e) {
                return null; // no libxxhash here, or native access refused: digest in Java
            }
        }
    }
}
