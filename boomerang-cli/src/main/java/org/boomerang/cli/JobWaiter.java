package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;
import org.boomerang.api.dto.JobView;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;

/**
 * Follows a job over its event stream ({@code GET /api/v1/jobs/{id}/events}) until it ends, and
 * turns its end into the CLI's outcome: success returns, a failure throws the job's own error code
 * (so the exit code is that of its category), a cancellation throws
 * {@link CliError#CLI_JOB_CANCELLED}. A stream that breaks before the job ends (the server
 * restarted) is reopened a few times; the job itself is durable and carries on.
 */
public final class JobWaiter {
    private static final int RECONNECTS = 5;
    private static final long RECONNECT_PAUSE_MILLIS = 1000;

    private final ApiClient client;

    public JobWaiter(ApiClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    /** Waits for the job to end, showing progress; returns the final job. */
    public JobView await(String jobId, ProgressDisplay display) {
        AtomicReference<JobView> last = new AtomicReference<>();
        for (int attempt = 0; ; attempt++) {
            client.events("api/v1/jobs/" + jobId + "/events", event -> {
                if (event.event().equals("error")) {
                    throw client.errorOf(500, event.data());
                }
                JobView job = client.parse(event.data(), JobView.class);
                last.set(job);
                if (job.terminal()) {
                    return false;
                }
                display.update(job);
                return true;
            });
            if (last.get() != null && last.get().terminal()) {
                display.finish(last.get());
                return last.get();
            }
            if (attempt >= RECONNECTS) {
                throw new BoomerangException(CliError.CLI_WATCH_INTERRUPTED, "the event stream of job " + jobId + " ended before the job did",
                        "the job goes on; follow it with 'boomerang jobs watch " + jobId + "'");
            }
            try {
                Thread.sleep(RECONNECT_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoomerangException(CliError.CLI_WATCH_INTERRUPTED, "interrupted while waiting for job " + jobId,
                        "follow it with 'boomerang jobs watch " + jobId + "'", e);
            }
        }
    }

    /** Throws unless the job succeeded. */
    public static void requireSuccess(JobView job) {
        switch (job.state()) {
            case SUCCEEDED -> {
                return;
            }
            case CANCELLED -> throw new BoomerangException(CliError.CLI_JOB_CANCELLED, "job " + job.id() + " was cancelled: " + job.description(),
                    "run the operation again when you are ready");
            case QUEUED, RUNNING, WAITING_FOR_OPERATOR, CANCELLING, FAILED, UNKNOWN -> {
                if (job.error() == null) {
                    throw new BoomerangException(RemoteErrorCode.of("JOB_" + job.state(), ErrorType.INTERNAL), "job " + job.id() + " ended " + job.state(),
                            "see 'boomerang jobs show " + job.id() + "'");
                }
                throw new BoomerangException(RemoteErrorCode.of(job.error().code(), job.error().category()),
                        "job " + job.id() + " (" + job.description() + ") failed: " + job.error().message(),
                        job.error().hint() + (job.error().hint().isEmpty() ? "" : "; ") + "the log: 'boomerang jobs show " + job.id() + "'; retry: 'boomerang jobs restart " + job.id() + "'");
            }
        }
    }
}
