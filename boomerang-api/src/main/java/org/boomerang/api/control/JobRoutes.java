package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.boomerang.api.Access;
import org.boomerang.api.ApiCall;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobView;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobService;
import org.boomerang.control.job.JobState;

/**
 * Jobs: list, show (with steps and log), watch as server-sent events, cancel, resume, restart.
 * The event stream sends a {@code progress} event with the {@link JobView} whenever the job
 * changes and a final {@code done} event when it ends; it polls the store, so it follows jobs run
 * by any control server sharing the database.
 */
public final class JobRoutes implements RouteGroup {
    private static final String TAG = "jobs";
    private static final String JOB = "/api/v1/jobs/{id}";
    private static final long KEEP_ALIVE_NANOS = 10_000_000_000L;
    private final JobService jobs;
    private final long pollMillis;

    /** @param pollMillis how often the event stream re-reads the job */
    public JobRoutes(JobService jobs, long pollMillis) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        if (pollMillis <= 0) {
            throw new IllegalArgumentException("pollMillis must be positive");
        }
        this.pollMillis = pollMillis;
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/jobs", "listJobs").access(Access.READER).tag(TAG)
                        .summary("Jobs, newest first")
                        .query("state", String.class, "only jobs in this state (QUEUED, RUNNING, WAITING_FOR_OPERATOR, CANCELLING, SUCCEEDED, FAILED, CANCELLED)")
                        .query("target", String.class, "only jobs acting on this item or plan")
                        .query("limit", Integer.class, "at most this many jobs (default 100)")
                        .returns(ApiRoute.listOf(JobView.class))
                        .handle(this::list),
                ApiRoute.get(JOB, "getJob").access(Access.READER).tag(TAG)
                        .summary("A job with its durable steps and its log").returns(JobDetails.class)
                        .handle(call -> {
                            JobId id = id(call);
                            return ControlViews.jobDetails(jobs.get(id), jobs.steps(id), jobs.log(id));
                        }),
                ApiRoute.get(JOB + "/events", "watchJob").access(Access.READER).tag(TAG)
                        .summary("Server-sent events: 'progress' with the job on every change, 'done' when it ends").returns(JobView.class)
                        .stream(this::watch),
                ApiRoute.post(JOB + "/cancel", "cancelJob").access(Access.OPERATOR).tag(TAG).status(202)
                        .summary("Cancel a queued, running or paused job; its done steps are compensated").returns(JobView.class)
                        .handle(call -> ControlViews.job(jobs.cancel(id(call)))),
                ApiRoute.post(JOB + "/resume", "resumeJob").access(Access.OPERATOR).tag(TAG).status(202)
                        .summary("Resume a job paused at a manual step").returns(JobView.class)
                        .handle(call -> ControlViews.job(jobs.resume(id(call)))),
                ApiRoute.post(JOB + "/restart", "restartJob").access(Access.OPERATOR).tag(TAG).status(202)
                        .summary("Start a new job repeating a failed or cancelled one").returns(JobView.class)
                        .handle(call -> ControlViews.job(jobs.restart(id(call)))));
    }

    private List<JobView> list(ApiCall call) {
        Optional<JobState> state = call.query("state").map(JobRoutes::state);
        Optional<String> target = call.query("target");
        long limit = call.queryLong("limit", 100, 1);
        return jobs.list().stream()
                .filter(j -> state.isEmpty() || j.state() == state.get())
                .filter(j -> target.isEmpty() || j.request().target().equals(target.get()))
                .limit(limit)
                .map(ControlViews::job)
                .toList();
    }

    private ApiRoute.Feed watch(ApiCall call) {
        JobId id = id(call);
        Job first = jobs.get(id);
        return sink -> {
            JobView last = null;
            Job job = first;
            long lastSent = System.nanoTime();
            while (!sink.closed()) {
                JobView view = ControlViews.job(job);
                if (!view.equals(last)) {
                    if (!sink.send(view.terminal() ? "done" : "progress", view)) {
                        return;
                    }
                    last = view;
                    lastSent = System.nanoTime();
                }
                if (view.terminal()) {
                    return;
                }
                if (System.nanoTime() - lastSent > KEEP_ALIVE_NANOS) {
                    sink.keepAlive();
                    lastSent = System.nanoTime();
                }
                Thread.sleep(pollMillis);
                job = jobs.get(id);
            }
        };
    }

    private static JobState state(String text) {
        try {
            return JobState.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "query parameter 'state' is not a job state: '" + text + "'",
                    "use one of " + Arrays.toString(JobState.values()));
        }
    }

    private static JobId id(ApiCall call) {
        return new JobId(call.path("id"));
    }
}
