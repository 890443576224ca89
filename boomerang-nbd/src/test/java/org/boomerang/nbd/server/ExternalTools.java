package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real NBD peers (qemu-img, qemu-io, nbdinfo, nbdcopy, fio) and ss as subprocesses for the tests. */
final class ExternalTools {
    private static final long TIMEOUT_SECONDS = 120;

    private ExternalTools() {}

    record Result(int exitCode, String out, String err) {
        Result ok() {
            assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }
    }

    /** Fails the test with a clear message when {@code tool} is not installed: bin/test installs it. */
    static void require(String tool) {
        if (tool.contains("/") && Files.isExecutable(Path.of(tool))) {
            return; // a path, not a name to look up
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail(tool + " is not installed; run bin/test (it installs qemu-utils, libnbd-bin, nbdkit, fio and iproute2) or apt-get install it");
    }

    static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        require(command[0]);
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
