package org.boomerang.cli;

import java.io.PrintWriter;
import java.util.function.Function;
import org.boomerang.api.dto.JobView;

/**
 * Starts an operation (the server answers with the job that carries it) and, with {@code --wait},
 * follows the job to its end. Without {@code --wait} it prints the job and returns at once.
 */
final class JobLauncher {
    private JobLauncher() {}

    static void run(ClientOptions options, boolean wait, PrintWriter out, Function<ApiClient, JobView> start) {
        ApiClient client = options.client();
        Printer printer = new Printer(options.output(), out, client.json());
        JobView job = start.apply(client);
        if (!wait) {
            printer.note("job " + job.id() + " " + job.state() + ": " + job.description());
            printer.note("follow it with 'boomerang jobs watch " + job.id() + "'");
            if (printer.isJson()) {
                printer.printJson(job);
            }
            return;
        }
        ProgressDisplay display = printer.isJson() ? Silent.INSTANCE : ProgressDisplay.choose(out);
        JobView done = new JobWaiter(client).await(job.id(), display);
        if (printer.isJson()) {
            printer.printJson(done);
        }
        JobWaiter.requireSuccess(done);
    }

    /** No progress output: JSON mode prints only the final record. */
    private enum Silent implements ProgressDisplay {
        INSTANCE;

        @Override
        public void update(JobView job) {}

        @Override
        public void finish(JobView job) {}
    }
}
