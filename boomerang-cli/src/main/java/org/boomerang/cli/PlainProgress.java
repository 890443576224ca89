package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Objects;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;

/** One line per change of state, percent or step: {@code job J RUNNING 40% copy-disks}. Not thread-safe. */
public final class PlainProgress implements ProgressDisplay {
    private final PrintWriter out;
    private String last;

    public PlainProgress(PrintWriter out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void update(JobView job) {
        String line = "job " + job.id() + " " + job.state() + " " + job.percent() + "%" + (job.step() == null || job.step().isEmpty() ? "" : " " + job.step());
        if (job.state() == JobStateView.WAITING_FOR_OPERATOR) {
            line += " (resume it with 'boomerang jobs resume " + job.id() + "')";
        }
        if (!Objects.equals(line, last)) {
            out.println(line);
            out.flush();
            last = line;
        }
    }

    @Override
    public void finish(JobView job) {
        update(job);
        out.println(ProgressDisplay.summary(job));
        out.flush();
    }
}
