package org.boomerang.nbd.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real NBD server (qemu-nbd or nbdkit) run as a child process on 127.0.0.1 and a free ephemeral
 * port, for tests. Neither tool reports the port it bound when given port 0, so the port is taken
 * from a just-closed ephemeral socket and the start retried on the rare collision.
 */
public final class TestingNbdServer implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final int port;
    private final String exportName;

    private TestingNbdServer(Process process, int port, String exportName) {
        this.process = process;
        this.port = port;
        this.exportName = exportName;
    }

    /** qemu-nbd serving {@code image} (raw) as export {@code exportName}. */
    public static TestingNbdServer qemuNbd(Path image, String exportName, boolean readOnly) throws IOException {
        return start(exportName, port -> {
            List<String> cmd = new ArrayList<>(List.of(tool("qemu-nbd"), "-f", "raw", "-x", exportName, "-b", "127.0.0.1",
                    "-p", Integer.toString(port), "-t", "-e", "8", "--cache=writeback", "--discard=unmap"));
            if (readOnly) {
                cmd.add("-r");
            }
            cmd.add(image.toString());
            return cmd;
        });
    }

    /** nbdkit with {@code plugin} and its arguments (e.g. {@code memory 64M}); nbdkit serves any export name. */
    public static TestingNbdServer nbdkit(String... pluginAndArgs) throws IOException {
        return start("", port -> {
            List<String> cmd = new ArrayList<>(List.of(tool("nbdkit"), "-f", "-i", "127.0.0.1", "-p", Integer.toString(port),
                    "--exit-with-parent"));
            cmd.addAll(List.of(pluginAndArgs));
            return cmd;
        });
    }

    public int port() {
        return port;
    }

    public NbdUri uri() {
        return new NbdUri("127.0.0.1", port, exportName);
    }

    public NbdUri uri(String export) {
        return new NbdUri("127.0.0.1", port, export);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface CommandForPort {
        List<String> command(int port) throws IOException;
    }

    private static TestingNbdServer start(String exportName, CommandForPort command) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            Process process = new ProcessBuilder(command.command(port)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (awaitListening(process, port)) {
                return new TestingNbdServer(process, port, exportName);
            }
            process.destroyForcibly();
            last = new IOException("NBD server " + command.command(port) + " did not start listening (exit "
                    + (process.isAlive() ? "none" : process.exitValue()) + ")");
        }
        throw last;
    }

    private static boolean awaitListening(Process process, int port) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (SocketChannel probe = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The tool's path; a missing tool fails the test with what to install. */
    public static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: run bin/test, which installs it "
                + "(Debian: qemu-utils for qemu-nbd, nbdkit for nbdkit)");
    }
}
