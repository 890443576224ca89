package org.boomerang.control.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.job.StepContext;

/** Runs a {@link ScriptAction} as a child process with its timeout; its output goes to the job log. */
final class ScriptRunner {
    private static final int MAX_LOG_LINES = 20;

    private ScriptRunner() {}

    static void run(ScriptAction action, Map<String, String> env, StepContext ctx) {
        Path out = null;
        try {
            out = Files.createTempFile("boomerang-script", ".log");
            ProcessBuilder pb = new ProcessBuilder(action.command()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(action.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new BoomerangException(ControlError.SCRIPT_TIMED_OUT,
                        action.describe() + " did not finish within " + action.timeout().toSeconds() + " s",
                        "make the script faster or raise its timeout in the plan, then restart the job");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            lines.stream().limit(MAX_LOG_LINES).forEach(l -> ctx.log("| " + l));
            if (p.exitValue() != 0) {
                throw new BoomerangException(ControlError.SCRIPT_FAILED,
                        action.describe() + " exited with " + p.exitValue(),
                        "see the script's output in the job log, fix the cause, then restart the job");
            }
        } catch (IOException e) {
            throw new BoomerangException(ControlError.SCRIPT_FAILED, action.describe() + " could not start: " + e.getMessage(),
                    "check the command exists and is executable on the control server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoomerangException(ControlError.SCRIPT_FAILED, action.describe() + " was interrupted",
                    "the control server is stopping; the job resumes after restart");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
