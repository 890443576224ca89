package org.boomerang.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.boomerang.api.dto.JobView;

/**
 * Shows a job's progress while the CLI waits for it: a redrawn bar on a terminal
 * ({@link TerminalProgress}), one line per change elsewhere ({@link PlainProgress}) so that logs
 * and CI output stay readable.
 */
public interface ProgressDisplay {
    void update(JobView job);

    void finish(JobView job);

    /**
     * The display for this process: {@code BOOMERANG_PROGRESS=bar|plain} decides when set,
     * otherwise a bar when stdout is a terminal.
     */
    static ProgressDisplay choose(PrintWriter out) {
        String forced = System.getenv("BOOMERANG_PROGRESS");
        boolean terminal;
        if (forced != null && !forced.isBlank()) {
            terminal = forced.trim().toLowerCase(Locale.ROOT).equals("bar");
        } else {
            java.io.Console console = System.console();
            terminal = console != null && console.isTerminal();
        }
        return terminal ? new TerminalProgress(out) : new PlainProgress(out);
    }

    /** The final line for a job that ended: its state and, for a failure, its error. */
    static String summary(JobView job) {
        String base = "job " + job.id() + " " + job.state() + ": " + job.description();
        if (job.error() != null) {
            base += " — " + job.error().code() + ": " + job.error().message();
        }
        return base;
    }
}
