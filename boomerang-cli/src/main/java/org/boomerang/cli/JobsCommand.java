package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code boomerang jobs list|show|watch|cancel|resume|restart}. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Jobs: every operation runs as a durable job with progress and a log.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class JobsCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    void list(@Mixin ClientOptions options,
              @Option(names = "--state", paramLabel = "STATE", description = "Only jobs in this state (e.g. RUNNING, FAILED).") String state,
              @Option(names = "--target", paramLabel = "ID", description = "Only jobs acting on this item or plan.") String target) {
        ApiClient client = options.client();
        StringBuilder q = new StringBuilder("api/v1/jobs");
        char sep = '?';
        if (state != null) {
            q.append(sep).append("state=").append(UrlPaths.encode(state));
            sep = '&';
        }
        if (target != null) {
            q.append(sep).append("target=").append(UrlPaths.encode(target));
        }
        List<JobView> jobs = client.get(q.toString(), new TypeReference<List<JobView>>() {});
        new Printer(options.output(), out(), client.json()).list(jobs, Views.jobs());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a job with its steps and log.")
    void show(@Mixin ClientOptions options, @Parameters(paramLabel = "JOB") String id) {
        ApiClient client = options.client();
        JobDetails details = client.get("api/v1/jobs/" + UrlPaths.encode(id), JobDetails.class);
        Printer printer = new Printer(options.output(), out(), client.json());
        if (printer.isJson()) {
            printer.printJson(details);
            return;
        }
        printer.one(details.job(), Views.job());
        out().println();
        printer.list(details.steps(), Views.steps());
        out().println();
        printer.list(details.log(), Views.log());
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a job until it ends: a progress bar on a terminal, one line per change elsewhere. Exits non-zero when the job fails.")
    void watch(@Mixin ClientOptions options, @Parameters(paramLabel = "JOB") String id) {
        ApiClient client = options.client();
        Printer printer = new Printer(options.output(), out(), client.json());
        JobView done = new JobWaiter(client).await(id, printer.isJson() ? new JsonLines(printer) : ProgressDisplay.choose(out()));
        JobWaiter.requireSuccess(done);
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued, running or paused job; its done steps are undone.")
    void cancel(@Mixin ClientOptions options, @Parameters(paramLabel = "JOB") String id,
                @Option(names = "--wait", description = "Wait until the job has ended.") boolean wait) {
        act(options, id, "cancel", wait);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a job paused at a manual step (the step counts as done).")
    void resume(@Mixin ClientOptions options, @Parameters(paramLabel = "JOB") String id,
                @Option(names = "--wait", description = "Wait for the job to end, showing progress.") boolean wait) {
        act(options, id, "resume", wait);
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Start a new job that repeats a failed or cancelled one.")
    void restart(@Mixin ClientOptions options, @Parameters(paramLabel = "JOB") String id,
                 @Option(names = "--wait", description = "Wait for the new job to end, showing progress.") boolean wait) {
        act(options, id, "restart", wait);
    }

    private void act(ClientOptions options, String id, String action, boolean wait) {
        JobLauncher.run(options, wait, out(), client -> client.post("api/v1/jobs/" + UrlPaths.encode(id) + "/" + action, null, JobView.class));
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code --output json} for watch: one JSON record per change, for scripts that follow along. */
    private record JsonLines(Printer printer) implements ProgressDisplay {
        @Override
        public void update(JobView job) {
            printer.printJson(job);
        }

        @Override
        public void finish(JobView job) {
            printer.printJson(job);
        }
    }
}
