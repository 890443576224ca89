package org.boomerang.control.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.job.StepContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ScriptAction} as a child process with its timeout; its output goes to the job log.
 *
 * <p>The script runs in its own session and process group ({@code setsid} from util-linux), so the
 * whole group (the script and whatever it started) can be stopped at once, and the group is recorded
 * in the step ({@link ScriptProcess}) before the script itself starts ({@link #GATE}). When a step is replayed after
 * the server died, a group recorded by the interrupted run that still exists on this machine is
 * stopped (SIGTERM, {@link #GRACE}, SIGKILL) before the script starts again, so a script never runs
 * twice at once. A group recorded on another host cannot be seen from here: the step fails with
 * {@code SCRIPT_MAY_STILL_RUN} and the operator checks that host before restarting the job. When the
 * server stops (its worker is interrupted), the group is stopped the same way and the step is left to
 * be replayed. A timeout stops the group too.
 */
final class ScriptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    private static final int MAX_LOG_LINES = 20;
    /**
     * The script's first process waits for one line on stdin, which the runner writes once the group
     * is recorded in the step; a server that dies before that closes the pipe and the script never
     * starts (exit 125). So no script runs without its group on record.
     */
    static final String GATE = "read -r _ || exit 125; exec \"$@\"";
    /** How long a script's group gets between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private ScriptRunner() {}

    static void run(ScriptAction action, Map<String, String> env, StepContext ctx) {
        ctx.interruptedNote().flatMap(ScriptProcess::parse).ifPresent(old -> settle(action, old, ctx));
        Path out = null;
        ScriptProcess group = null;
        try {
            out = Files.createTempFile("boomerang-script", ".log");
            List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", GATE, "boomerang-script"));
            command.addAll(action.command());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            group = ProcessGroups.of(p);
            try {
                ctx.note(group.encode());
                p.getOutputStream().write('\n'); // the group is on record: let the script start
                p.getOutputStream().close();
            } catch (IOException | RuntimeException e) {
                ProcessGroups.stop(group, GRACE);
                throw e;
            }
            if (!p.waitFor(action.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessGroups.stop(group, GRACE);
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
                    "check the command exists and is executable on the control server (and that setsid from util-linux is installed)", e);
        } catch (InterruptedException e) {
            if (group != null) {
                boolean gone = ProcessGroups.stop(group, GRACE);
                LOG.info("server stopping: script {} (process group {}) {}", action.describe(), group.pgid(),
                        gone ? "stopped" : "did not stop within " + GRACE.multipliedBy(2).toSeconds() + " s");
            }
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

    /** Before a replay: stops the group an interrupted run of this step left running, or refuses when it cannot see it. */
    private static void settle(ScriptAction action, ScriptProcess old, StepContext ctx) {
        if (!old.host().equals(ProcessGroups.host())) {
            throw new BoomerangException(ControlError.SCRIPT_MAY_STILL_RUN,
                    action.describe() + " was started on host " + old.host() + " (process group " + old.pgid()
                            + ") by a server that stopped; from " + ProcessGroups.host() + " it cannot be seen whether it still runs",
                    "on " + old.host() + " make sure it has ended (ps -g " + old.pgid() + "; kill -- -" + old.pgid() + "), then restart the job");
        }
        if (!ProcessGroups.onThisBoot(old) || !ProcessGroups.alive(old)) {
            return;
        }
        ctx.log("the script of an earlier run of this step still runs (process group " + old.pgid() + "): stopping it before the replay");
        if (!ProcessGroups.stop(old, GRACE)) {
            throw new BoomerangException(ControlError.SCRIPT_MAY_STILL_RUN,
                    action.describe() + " of an earlier run (process group " + old.pgid() + ") did not stop on SIGTERM or SIGKILL",
                    "find it with 'ps -g " + old.pgid() + "', end it, then restart the job");
        }
        ctx.log("stopped process group " + old.pgid());
    }
}
