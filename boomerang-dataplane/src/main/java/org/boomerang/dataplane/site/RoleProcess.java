package org.boomerang.dataplane.site;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One role of a site run as a child process and kept running: started with its generated config
 * ({@code <dir>/<role>.yaml}, written atomically), its output appended to {@code <dir>/<role>.log}, and
 * its port read back from the line the role prints when it listens ({@code ... listening on HOST:PORT}).
 * The first start listens on an ephemeral port; every later start (after the child died, e.g. killed)
 * listens on that same port, because the process server's routes and the agent's streams name it.
 *
 * <p>A child that exits while this object is open is started again at once (then every
 * {@link #RETRY} while that fails). The child also stops by itself when this process dies: it is given
 * {@code BOOMERANG_PARENT_PID}. {@link #close} asks it to stop (SIGTERM: it finishes what is in flight),
 * then kills it after {@link #STOP_GRACE}.
 *
 * <p>Thread-safety: safe for concurrent use; the state is guarded by this object's monitor.
 */
final class RoleProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleProcess.class);
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ,]*:(\\d+)");
    /** A JVM start on a busy machine: minutes, not seconds (a loaded 2-core machine took over 60 s). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    static final Duration RETRY = Duration.ofMillis(500);
    static final Duration STOP_GRACE = Duration.ofSeconds(40);

    /** What the child is doing now, with the number of times it was started. */
    record Status(long pid, int port, int starts, boolean running) {}

    private final String site;
    private final ChildRole role;
    private final List<String> command;
    private final Path dir;
    private final IntFunction<String> config;
    private Process process;
    private int port;
    private int starts;
    private boolean closing;

    private RoleProcess(String site, ChildRole role, List<String> command, Path dir, IntFunction<String> config) {
        this.site = site;
        this.role = role;
        this.command = command;
        this.dir = dir;
        this.config = config;
    }

    /**
     * Starts the role and returns once it listens. {@code config} gives the config file's text for a
     * listening port (0 on the first start).
     */
    static RoleProcess start(String site, ChildRole role, List<String> command, Path dir, IntFunction<String> config) throws IOException {
        RoleProcess p = new RoleProcess(requireNonNull(site, "site is null"), requireNonNull(role, "role is null"),
                List.copyOf(command), requireNonNull(dir, "dir is null"), requireNonNull(config, "config is null"));
        Files.createDirectories(dir);
        synchronized (p) {
            p.spawn();
        }
        return p;
    }

    synchronized int port() {
        return port;
    }

    synchronized Status status() {
        boolean running = process != null && process.isAlive();
        return new Status(running ? process.pid() : -1, port, starts, running);
    }

    /**
     * Waits until the role listens again in a process other than {@code pid} (after that one died);
     * returns when it did, or throws {@code ROLE_PROCESS_FAILED} after {@code timeout}.
     */
    synchronized Instant awaitRestarted(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process == null || process.pid() == pid || !process.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closing) {
                throw new BoomerangException(SiteError.ROLE_PROCESS_FAILED, "the " + role.command() + " of site " + site
                        + " did not start again within " + timeout.toSeconds() + " s", "read " + log() + " for why");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return Instant.now();
    }

    /** Starts the child and waits for its port; the caller holds the monitor. */
    private void spawn() throws IOException {
        AtomicFile.write(dir.resolve(role.command() + ".yaml"), out -> out.write(config.apply(port).getBytes(UTF_8)));
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(role.command(), "--config", dir.resolve(role.command() + ".yaml").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("BOOMERANG_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        Process p = pb.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread.ofVirtual().name(role.command() + "-" + site + "-output").start(() -> copyOutput(p, listening));
        int got;
        try {
            got = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw failed("did not say where it listens (" + (e instanceof TimeoutException ? "no answer within "
                    + START_TIMEOUT.toSeconds() + " s" : e.getCause().getMessage()) + ")");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the " + role.command() + " of site " + site + " started", e);
        }
        if (port != 0 && got != port) {
            p.destroyForcibly();
            throw failed("listens on port " + got + " instead of " + port);
        }
        port = got;
        process = p;
        starts++;
        notifyAll();
        p.onExit().thenRun(() -> exited(p));
        LOG.info("{} of site {} running as process {} on port {} (start {})", role.command(), site, p.pid(), port, starts);
    }

    private BoomerangException failed(String what) {
        return new BoomerangException(SiteError.ROLE_PROCESS_FAILED, "the " + role.command() + " of site " + site + " " + what,
                "read " + log() + " for the child's own messages; check that the data folder is writable and the port free");
    }

    private Path log() {
        return dir.resolve(role.command() + ".log");
    }

    /** Appends the child's output to its log and completes {@code listening} with the port it names. */
    private void copyOutput(Process p, CompletableFuture<Integer> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
                Writer log = Files.newBufferedWriter(log(), UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            if (p.isAlive()) { // once the child ended, the JDK closes its pipe under the reader: nothing was lost
                LOG.warn("the output of the {} of site {} could not be logged: {}", role.command(), site, e.toString());
            }
        } finally {
            listening.completeExceptionally(new IOException("the process ended with exit code " + p.onExit().join().exitValue()));
        }
    }

    /** The child ended: unless it was asked to, it is started again on its port. */
    private void exited(Process p) {
        synchronized (this) {
            if (closing || p != process) {
                return;
            }
            LOG.warn("{} of site {} (process {}) ended with exit code {}; starting it again on port {}", role.command(), site, p.pid(),
                    p.exitValue(), port);
            notifyAll();
        }
        Thread.ofVirtual().name(role.command() + "-" + site + "-restart").start(this::restart);
    }

    private void restart() {
        while (true) {
            synchronized (this) {
                if (closing) {
                    return;
                }
                try {
                    spawn();
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{} of site {} did not start again: {}; retrying in {} ms", role.command(), site, e.getMessage(), RETRY.toMillis());
                }
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Asks the child to stop (SIGTERM), waits for it up to {@link #STOP_GRACE}, then kills it. */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            closing = true;
            p = process;
            notifyAll();
        }
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("{} of site {} did not stop within {} s; killing it", role.command(), site, STOP_GRACE.toSeconds());
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
