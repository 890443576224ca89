package org.boomerang.control.plan;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.boomerang.common.NativeCalls;

/**
 * Process groups of plan scripts on this machine: this machine's identity (host name and boot id),
 * whether a recorded group still runs, and stopping a whole group (SIGTERM, a grace period, then
 * SIGKILL) through {@code kill(2)} on the negative group id. Linux only. Stateless and thread-safe.
 */
final class ProcessGroups {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int ESRCH = 3;
    private static final long POLL_MILLIS = 20;
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static volatile MethodHandle kill;

    private ProcessGroups() {}

    static String host() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName().strip();
            return name.isEmpty() ? "localhost" : name.replace(' ', '_');
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    static String bootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The record of a just-started script that leads its own group ({@code setsid}). */
    static ScriptProcess of(Process leader) {
        long start = leader.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new ScriptProcess(host(), bootId(), leader.pid(), start);
    }

    /** True when the recorded group was started on this machine since its last boot. */
    static boolean onThisBoot(ScriptProcess p) {
        return p.host().equals(host()) && p.boot().equals(bootId());
    }

    /**
     * True while a process of the recorded group exists. A leader with the group's id but another
     * start time is a new process that reused the number: the recorded group is gone.
     */
    static boolean alive(ScriptProcess p) {
        Optional<ProcessHandle> leader = ProcessHandle.of(p.pgid());
        if (leader.isPresent() && p.start().isPresent()) {
            Optional<Instant> started = leader.get().info().startInstant();
            if (started.isPresent() && Math.abs(started.get().toEpochMilli() - p.startMillis()) > 1000) {
                return false;
            }
        }
        return signal(p.pgid(), 0);
    }

    /**
     * Stops every process of the group: SIGTERM, up to {@code grace} for them to exit, then SIGKILL,
     * and waits until none is left (at most {@code grace} more). Returns true when the group is gone.
     */
    static boolean stop(ScriptProcess p, Duration grace) {
        if (!alive(p)) {
            return true;
        }
        signal(p.pgid(), SIGTERM);
        if (awaitGone(p, grace)) {
            return true;
        }
        signal(p.pgid(), SIGKILL);
        return awaitGone(p, grace);
    }

    private static boolean awaitGone(ScriptProcess p, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        boolean interrupted = false;
        try {
            while (alive(p)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true; // stopping a group must finish even while the server shuts down
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code kill(-pgid, sig)}; false when no process of the group exists (ESRCH). */
    private static boolean signal(long pgid, int sig) {
        if (!NativeCalls.LINUX) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            int rc = (int) handle().invokeExact(state, (int) -pgid, sig);
            return rc == 0 || NativeCalls.errno(state) != ESRCH;
        } catch (Throwable t) {
            throw new IllegalStateException("kill(" + -pgid + ", " + sig + ") failed", t);
        }
    }

    private static MethodHandle handle() {
        MethodHandle h = kill;
        if (h == null) {
            h = NativeCalls.withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            kill = h;
        }
        return h;
    }
}
