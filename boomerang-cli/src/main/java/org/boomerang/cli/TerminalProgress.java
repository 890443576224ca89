package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.common.ByteSize;

/**
 * A progress bar redrawn in place with a carriage return:
 * {@code [#########-----------]  45%  RUNNING  copy-disks  1.2 GiB / 4.0 GiB}. Not thread-safe.
 */
public final class TerminalProgress implements ProgressDisplay {
    static final int WIDTH = 30;
    private final PrintWriter out;
    private int lastLength;

    public TerminalProgress(PrintWriter out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void update(JobView job) {
        String line = render(job);
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    @Override
    public void finish(JobView job) {
        update(job);
        out.println();
        out.println(ProgressDisplay.summary(job));
        out.flush();
    }

    /** The bar for one state of a job. */
    static String render(JobView job) {
        int filled = Math.clamp(job.percent() * WIDTH / 100, 0, WIDTH);
        StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        sb.append(String.format("%3d%%  %s", job.percent(), job.state()));
        if (job.step() != null && !job.step().isEmpty()) {
            sb.append("  ").append(job.step());
        }
        if (job.bytesTotal() > 0) {
            sb.append("  ").append(ByteSize.format(job.bytesDone())).append(" / ").append(ByteSize.format(job.bytesTotal()));
        }
        if (job.state() == JobStateView.WAITING_FOR_OPERATOR) {
            sb.append("  (resume: boomerang jobs resume ").append(job.id()).append(')');
        }
        return sb.toString();
    }
}
