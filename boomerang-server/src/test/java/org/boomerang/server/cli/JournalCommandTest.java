package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal commands end to end, as an operator runs them, with qemu-io and qemu-img as the real
 * clients: qemu-io writes through {@code journal record}; {@code journal serve --at} shows exactly the
 * data of that point; writes to a writable view land in the overlay and never in the journal;
 * {@code journal export} writes the same bytes to an image.
 */
class JournalCommandTest {
    private static final int MIB = 1 << 20;
    private static final Pattern URI = Pattern.compile("nbd://[0-9.]+:[0-9]+/\\S+");
    private static final Pattern POINT = Pattern.compile("\\{\"lsn\":(\\d+),\"kind\":\"crash\",\"time\":\"[^\"]*\",\"id\":\"([^\"]+)\"");

    @TempDir
    Path tmp;

    @Test
    void qemuWritesThroughRecordAndServeShowsEachPointExactly() throws Exception {
        Path journal = tmp.resolve("disk1");
        // Session 1: 0xaa over the first MiB; stopping adds a crash marker ("shutdown").
        try (Background rec = Background.start(tmp, "journal", "record", journal.toString(), "--size", "16M", "--port", "0")) {
            qemuIo(rec.uri(), "write -P 0xaa 0 1M", "write -P 0x11 3M 64k");
        }
        // Session 2: 0xbb over 64 KiB inside it, and a discard of the 0x11 range.
        try (Background rec = Background.start(tmp, "journal", "record", journal.toString(), "--port", "0")) {
            qemuIo(rec.uri(), "write -P 0xbb 512k 64k", "discard 3M 64k");
        }
        String json = run("journal", "points", journal.toString(), "--output", "json");
        List<String[]> points = new ArrayList<>();
        Matcher m = POINT.matcher(json);
        while (m.find()) {
            points.add(new String[] {m.group(1), m.group(2)});
        }
        assertThat(points).as(json).hasSize(2);
        String first = points.get(0)[1];

        byte[] atFirst = new byte[16 * MIB];
        fill(atFirst, 0, MIB, 0xaa);
        fill(atFirst, 3 * MIB, 64 * 1024, 0x11);
        byte[] atLatest = atFirst.clone();
        fill(atLatest, 512 * 1024, 64 * 1024, 0xbb);
        fill(atLatest, 3 * MIB, 64 * 1024, 0);

        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", first, "--port", "0")) {
            qemuIo(serve.uri(), "-r", "read -P 0xaa 0 1M", "read -P 0x11 3M 64k");
            assertThat(Files.readAllBytes(convert(serve.uri(), "first.img"))).isEqualTo(atFirst);
        }
        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", "latest", "--port", "0")) {
            assertThat(Files.readAllBytes(convert(serve.uri(), "latest.img"))).isEqualTo(atLatest);
        }
        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", "lsn:" + points.get(0)[0],
                "--port", "0")) {
            assertThat(Files.readAllBytes(convert(serve.uri(), "by-lsn.img"))).isEqualTo(atFirst);
        }

        // A writable view: writes land in the overlay; the journal's files do not change.
        String before = digestOfJournal(journal);
        Path overlay = tmp.resolve("overlay");
        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", first, "--writable",
                "--overlay", overlay.toString(), "--port", "0")) {
            qemuIo(serve.uri(), "write -P 0xcc 100 1000", "read -P 0xcc 100 1000", "read -P 0xaa 0 100", "read -P 0xaa 1100 4096");
        }
        assertThat(digestOfJournal(journal)).isEqualTo(before);
        assertThat(run("journal", "points", journal.toString(), "--output", "json")).isEqualTo(json);
        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", first, "--writable",
                "--overlay", overlay.toString(), "--port", "0")) {
            qemuIo(serve.uri(), "read -P 0xcc 100 1000");
        }
        try (Background serve = Background.start(tmp, "journal", "serve", journal.toString(), "--at", first, "--port", "0")) {
            qemuIo(serve.uri(), "-r", "read -P 0xaa 0 1M");
        }

        Path exported = tmp.resolve("exported.img");
        run("journal", "export", journal.toString(), "--at", "latest", "--to", exported.toString());
        assertThat(Files.readAllBytes(exported)).isEqualTo(atLatest);
    }

    @Test
    void badPointsAndMissingJournalsAreClearErrors() throws Exception {
        Path journal = tmp.resolve("disk2");
        Result r = Background.exec(tmp, "journal", "points", journal.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("NOT_A_JOURNAL");
        try (Background rec = Background.start(tmp, "journal", "record", journal.toString(), "--size", "1M", "--port", "0")) {
            qemuIo(rec.uri(), "write -P 1 0 4k");
            // A live journal lists and exports its durable part read-only; serving it (a second writer) is refused.
            Result live = Background.exec(tmp, "journal", "points", journal.toString(), "--output", "json");
            assertThat(live.exit()).as(live.err()).isZero();
            assertThat(live.out()).containsPattern("\"latestLsn\":[1-9]");
            Path exported = tmp.resolve("live.img");
            Result export = Background.exec(tmp, "journal", "export", journal.toString(), "--at", "latest", "--to",
                    exported.toString());
            assertThat(export.exit()).as(export.err()).isZero();
            byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(exported), 4096);
            byte[] ones = new byte[4096];
            fill(ones, 0, 4096, 1);
            assertThat(head).isEqualTo(ones);
            Result busy = Background.exec(tmp, "journal", "serve", journal.toString(), "--at", "latest", "--port", "0");
            assertThat(busy.exit()).isEqualTo(5);
            assertThat(busy.err()).contains("IN_USE");
        }
        r = Background.exec(tmp, "journal", "serve", journal.toString(), "--at", "lsn:999", "--port", "0");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("POINT_NOT_FOUND").contains("lsn:999");
        r = Background.exec(tmp, "journal", "export", journal.toString(), "--at", "lsn:x", "--to", tmp.resolve("x.img").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("BAD_POINT_NAME");
    }

    private static void fill(byte[] b, int from, int length, int value) {
        java.util.Arrays.fill(b, from, from + length, (byte) value);
    }

    private String run(String... args) throws Exception {
        Result r = Background.exec(tmp, args);
        assertThat(r.exit()).as("boomerang %s%n%s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    private Path convert(String uri, String name) throws Exception {
        Path out = tmp.resolve(name);
        tool("qemu-img", "convert", "-f", "raw", "-O", "raw", uri, out.toString());
        return out;
    }

    private void qemuIo(String uri, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            if (c.startsWith("-")) {
                cmd.add(c);
            } else {
                cmd.add("-c");
                cmd.add(c);
            }
        }
        cmd.add(uri);
        String out = tool(cmd.toArray(String[]::new));
        assertThat(out).doesNotContain("Pattern verification failed").doesNotContain("error");
    }

    private String tool(String... command) throws Exception {
        requireTool(command[0]);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    private static void requireTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail(tool + " is not installed; run bin/test (it installs qemu-utils) or apt-get install qemu-utils");
    }

    private static String digestOfJournal(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".seg") || f.getFileName().toString().equals("base.img"))
                    .sorted().toList()) {
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    record Result(int exit, String out, String err) {}

    /** {@code boomerang ARGS} as a child JVM on the test class path, stopped with SIGTERM like an operator's Ctrl-C. */
    static final class Background implements AutoCloseable {
        private final Process process;
        private final String uri;

        private Background(Process process, String uri) {
            this.process = process;
            this.uri = uri;
        }

        static Background start(Path dir, String... args) throws IOException {
            Process p = builder(dir, args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = URI.matcher(line);
                if (m.find()) {
                    Thread.ofVirtual().start(() -> drain(r));
                    return new Background(p, m.group());
                }
            }
            p.destroyForcibly();
            throw new IOException("boomerang " + String.join(" ", args) + " ended without serving");
        }

        static Result exec(Path dir, String... args) throws Exception {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = builder(dir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        }

        private static ProcessBuilder builder(Path dir, String... args) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    // The test class path holds several modules' logback-test.xml; logback would print its warning
                    // about that (with timestamps) on stdout, which the test compares.
                    "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                    "-cp", System.getProperty("java.class.path"), "org.boomerang.server.Main"));
            cmd.addAll(List.of(args));
            return new ProcessBuilder(cmd).directory(dir.toFile());
        }

        private static void drain(BufferedReader r) {
            try {
                while (r.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String uri() {
            return uri;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the server did not stop within 60 s of SIGTERM");
            }
        }
    }
}
