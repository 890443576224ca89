package org.boomerang.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a data-plane role until the process is asked to stop (Ctrl-C or SIGTERM): the shutdown hook
 * closes the role (it finishes what is in flight) before the JVM exits.
 */
final class RoleRunner {
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
        out.flush();
        stopped.await();
        return 0;
    }
}
