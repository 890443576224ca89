package org.boomerang.dataplane.roles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replication role as a child JVM ({@link RoleMain}), for the fault tests: its config comes from a
 * template ({@code LISTEN} and {@code NEXT} are replaced by the ports), its stdout and stderr go to
 * {@code <dir>/<role>.log} (appended across restarts, INFO and up), and it can be killed with SIGKILL and
 * started again on the port it got first.
 */
final class ChildRole implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("^port=(\\d+)$", Pattern.MULTILINE);

    final String role;
    private final Path dir;
    private final String template;
    private final Path config;
    private final Path log;
    private Process process;
    private int port;
    private int starts;

    ChildRole(Path dir, String role, String template) {
        this.dir = dir;
        this.role = role;
        this.template = template;
        this.config = dir.resolve(role + ".yaml");
        this.log = dir.resolve(role + ".log");
    }

    /** Starts the role listening on {@code listenPort} (0: any) with {@code nextHop} as the port of the role it sends to. */
    void start(int listenPort, int nextHop) throws IOException, InterruptedException {
        Files.writeString(config, template.replace("LISTEN", Integer.toString(listenPort)).replace("NEXT", Integer.toString(nextHop)));
        Path logback = dir.resolve("child-logback.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, """
                    <configuration>
                      <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="ERR"/></root>
                    </configuration>
                    """);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        int startsBefore = countPortLines();
        Files.writeString(log, "---- start " + (++starts) + " of " + role + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), RoleMain.class.getName(), role, config.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Matcher m = PORT.matcher(Files.readString(log));
            int seen = 0;
            String last = null;
            while (m.find()) {
                seen++;
                last = m.group(1);
            }
            if (seen > startsBefore) {
                port = Integer.parseInt(last);
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError(role + " did not start:\n" + tail());
            }
            Thread.sleep(20);
        }
    }

    private int countPortLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        Matcher m = PORT.matcher(Files.readString(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, no drain. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(role + " did not die on SIGKILL");
        }
    }

    /** SIGTERM: the role closes as {@code boomerang ROLE} does on it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(role + " did not stop on SIGTERM");
        }
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String tail() throws IOException {
        String text = logText();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
