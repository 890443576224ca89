package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.boomerang.common.ByteSize;

/**
 * The progress of one long step in bytes (a sync, a digest, a copy), with its rate. On a terminal a
 * bar redrawn in place with a carriage return, at most every {@link #REDRAW_NANOS}:
 * {@code [##############----------------]  47%  30.0 MiB / 64.0 MiB  118.2 MiB/s  digest lin1-disk0};
 * elsewhere (no console: a pipe, a log, CI) plain lines, one per {@link #PLAIN_STEP_PERCENT} percent,
 * so logs stay readable. {@link #finish()} prints the final line with the average rate.
 *
 * <p>Not thread-safe: one thread reports one step.
 */
public final class ByteProgress {
    static final int WIDTH = 30;
    static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int PLAIN_STEP_PERCENT = 10;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanos;
    private final long started;
    private long done;
    private long lastDraw = Long.MIN_VALUE;
    private int lastPercent = -1;
    private int lastLength;

    ByteProgress(PrintWriter out, String label, long total, boolean terminal, LongSupplier nanos) {
        this.out = requireNonNull(out, "out is null");
        this.label = requireNonNull(label, "label is null");
        this.total = total;
        this.terminal = terminal;
        this.nanos = requireNonNull(nanos, "nanos is null");
        this.started = nanos.getAsLong();
    }

    /** A bar when this process has a console ({@code System.console()} is not null), plain lines otherwise. */
    public static ByteProgress start(PrintWriter out, String label, long total) {
        return new ByteProgress(out, label, total, System.console() != null, System::nanoTime);
    }

    /** Plain lines whatever the console (tests, reports). */
    public static ByteProgress plain(PrintWriter out, String label, long total) {
        return new ByteProgress(out, label, total, false, System::nanoTime);
    }

    /** {@code done} bytes of {@code total} are done. */
    public void update(long done) {
        this.done = done;
        long now = nanos.getAsLong();
        if (terminal) {
            if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            String line = render(now);
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
            return;
        }
        int percent = percent();
        int step = percent / PLAIN_STEP_PERCENT * PLAIN_STEP_PERCENT;
        if (step > lastPercent) {
            lastPercent = step;
            out.println(plainLine(now));
            out.flush();
        }
    }

    /** The step is over: the final state and the average rate. */
    public void finish() {
        long now = nanos.getAsLong();
        if (terminal) {
            String line = render(now);
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            out.println();
        } else {
            out.println(label + " done: " + ByteSize.format(done) + " in " + String.format(Locale.ROOT, "%.2f s", (now - started) / 1e9)
                    + " (" + rate(now) + ")");
        }
        out.flush();
    }

    String render(long now) {
        int filled = Math.clamp((long) percent() * WIDTH / 100, 0, WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent()) + "  " + ByteSize.format(done) + " / " + ByteSize.format(total)
                + "  " + rate(now) + "  " + label;
    }

    private String plainLine(long now) {
        return label + ": " + percent() + "% " + ByteSize.format(done) + " / " + ByteSize.format(total) + " " + rate(now);
    }

    private int percent() {
        return total <= 0 ? 100 : (int) Math.clamp(done * 100 / total, 0, 100);
    }

    private String rate(long now) {
        double seconds = (now - started) / 1e9;
        return seconds <= 0 ? "— /s" : ByteSize.format((long) (done / seconds)) + "/s";
    }
}
