package org.boomerang.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a data-plane role until the process is asked to stop (Ctrl-C or SIGTERM): the shutdown hook
 * closes the role (it finishes what is in flight) before the JVM exits. A role started as the child of
 * a server's data plane is given {@code BOOMERANG_PARENT_PID} and stops the same way when that process
 * ends, so that no role outlives the server that started it.
 */
final class RoleRunner {
    /** The process whose end stops this role too (set by the data plane for its child processes). */
    static final String PARENT_PID = "BOOMERANG_PARENT_PID";

    private RoleRunner() {}

    static int runUntilStopped(AutoCloseable role, String what, PrintWriter out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                role.close();
            } catch (Exception e) {
                System.err.println("error: stopping the " + what + " failed: " + e);
            }
            stopped.countDown();
        }, what + "-shutdown"));
        String parent = System.getenv(PARENT_PID);
        if (parent != null && parent.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
