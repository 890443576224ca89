package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application-consistent points: runs the pre-freeze command, puts an {@link MarkerKind#APP} marker
 * into the stream once it succeeded (every write the application made before it is then in the stream),
 * and runs the post-thaw command in every case. A failed or slow hook yields no app point and says why
 * ({@link Outcome#reason()}, logged); the guest's writes go on throughout.
 *
 * <p>Thread-safety: one point at a time per instance (calls are serialised).
 */
public final class AppConsistentMarker {
    private static final Logger LOG = LoggerFactory.getLogger(AppConsistentMarker.class);

    private final ChangeFeed feed;
    private final FreezeHooks hooks;
    private volatile Outcome last;

    public AppConsistentMarker(ChangeFeed feed, FreezeHooks hooks) {
        this.feed = requireNonNull(feed, "feed is null");
        this.hooks = requireNonNull(hooks, "hooks is null");
    }

    /** What one attempt gave: the marker, or none and the reason. */
    public record Outcome(Optional<Mark> mark, String reason) {
        public boolean taken() {
            return mark.isPresent();
        }
    }

    /** Freezes, marks, thaws; never throws for a hook's failure. */
    public synchronized Outcome take(String tag) throws IOException, InterruptedException {
        Outcome outcome;
        String freeze = run("pre-freeze", hooks.preFreeze());
        if (freeze != null) {
            outcome = new Outcome(Optional.empty(), freeze);
        } else {
            Optional<Mark> mark = feed.mark(MarkerKind.APP, "", tag);
            outcome = mark.isPresent() ? new Outcome(mark, "taken")
                    : new Outcome(mark, "an inconsistent window is open (catch-up in progress)");
        }
        if (!hooks.postThaw().isEmpty()) {
            String thaw = run("post-thaw", hooks.postThaw());
            if (thaw != null) {
                LOG.warn("disk={} {}; the application may still be frozen", feed.disk(), thaw);
                if (!outcome.taken()) {
                    outcome = new Outcome(Optional.empty(), outcome.reason() + "; " + thaw);
                }
            }
        }
        if (!outcome.taken()) {
            LOG.warn("disk={} no app-consistent point: {}", feed.disk(), outcome.reason());
        }
        last = outcome;
        return outcome;
    }

    /** The outcome of the newest attempt, for the status; null before the first. */
    public Outcome last() {
        return last;
    }

    /** Runs a hook; null on success, else why it failed. */
    private String run(String name, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("boomerang-hook", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            } catch (IOException e) {
                return name + " command " + command + " could not start: " + e.getMessage();
            }
            if (!p.waitFor(hooks.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return name + " command " + command + " did not finish within " + hooks.timeout().toMillis() + " ms (killed)";
            }
            if (p.exitValue() != 0) {
                String text = Files.readString(output).strip();
                return name + " command " + command + " failed with exit code " + p.exitValue()
                        + (text.isEmpty() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
            }
            return null;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
