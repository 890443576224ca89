package org.boomerang.cli;

import java.time.Duration;
import org.boomerang.api.dto.AlertView;
import org.boomerang.api.dto.HealthConditionView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.OperationView;
import org.boomerang.api.dto.PointView;
import org.boomerang.api.dto.ReplicationStateView;
import org.boomerang.api.dto.ReplicationView;
import org.boomerang.common.Durations;

/** The table layouts of the API's records. */
final class Views {
    private Views() {}

    static Table<ItemView> items() {
        return new Table<ItemView>()
                .column("ID", ItemView::id)
                .column("MACHINE", ItemView::machine)
                .column("STATE", i -> i.state().label())
                .column("HEALTH", ItemView::health)
                .column("REPLICATION", Views::replication)
                .column("RPO", i -> i.replication() == null ? "" : rpo(i.replication().rpoSeconds()))
                .column("ACTIVE", i -> i.activeOperation() == null ? "" : i.activeOperation().label() + " (job " + i.activeJob() + ")")
                .column("POINT", ItemView::point)
                .column("ALLOWED", i -> String.join(",", i.allowedActions().stream().map(OperationView::label).toList()));
    }

    static Table<ItemView> item() {
        return items()
                .column("KIND", ItemView::kind)
                .column("OS", ItemView::os)
                .column("PRIMARY", ItemView::primarySite)
                .column("RECOVERY", ItemView::recoverySite)
                .column("POLICY", ItemView::policy)
                .column("GROUP", ItemView::group)
                .column("RECOVERY MACHINE", ItemView::recoveryMachine)
                .column("FENCED SITE", ItemView::fencedSite)
                .column("PROCESS SERVER", ItemView::processServer)
                .column("RETENTION", i -> Durations.format(Duration.ofSeconds(i.retentionSeconds()))
                        + (i.retentionFromPolicy() ? " (policy)" : " (chosen at reprotect)"))
                .column("PROTECTED AT", ItemView::protectedAt)
                .column("RPO THRESHOLD", i -> i.replication() == null ? "" : i.replication().rpoThresholdSeconds() + "s")
                .column("LAG BYTES", i -> i.replication() == null ? "" : i.replication().lagBytes())
                .column("LAST CRASH POINT", i -> i.replication() == null ? "" : i.replication().lastCrashConsistentPoint())
                .column("LAST APP POINT", i -> i.replication() == null ? "" : i.replication().lastAppConsistentPoint())
                .column("UNREACHABLE", i -> i.replication() == null ? "" : String.join(", ", i.replication().unreachableRoles()))
                .column("CONDITIONS", i -> conditions(i.conditions()))
                .column("LAST ERROR", i -> i.lastError() == null ? "" : i.lastError().code() + ": " + i.lastError().message())
                .column("VERSION", ItemView::version);
    }

    /** The replication state, with the initial copy's progress while it runs: {@code initial-sync 42%}. */
    static String replication(ItemView i) {
        ReplicationView r = i.replication();
        if (r == null) {
            return "";
        }
        return r.state() == ReplicationStateView.INITIAL_SYNC ? r.state().label() + " " + Math.round(r.initialSyncProgress() * 100) + "%"
                : r.state().label();
    }

    static String rpo(Double seconds) {
        return seconds == null ? "" : String.format(java.util.Locale.ROOT, "%.3fs", seconds);
    }

    static String conditions(java.util.List<HealthConditionView> conditions) {
        return String.join("; ", conditions.stream().map(c -> c.code() + ": " + c.message()).toList());
    }

    static Table<AlertView> alerts() {
        return new Table<AlertView>()
                .column("ITEM", AlertView::item)
                .column("STATE", a -> a.state().label())
                .column("HEALTH", AlertView::health)
                .column("RPO", a -> rpo(a.rpoSeconds()))
                .column("THRESHOLD", a -> a.rpoThresholdSeconds() + "s")
                .column("CONDITIONS", a -> conditions(a.conditions()));
    }

    static Table<JobView> jobs() {
        return new Table<JobView>()
                .column("ID", JobView::id)
                .column("STATE", JobView::state)
                .column("PROGRESS", j -> j.percent() + "%")
                .column("STEP", JobView::step)
                .column("TARGET", JobView::target)
                .column("DESCRIPTION", JobView::description)
                .column("ERROR", j -> j.error() == null ? "" : j.error().code());
    }

    static Table<JobView> job() {
        return jobs()
                .column("KIND", JobView::kind)
                .column("CREATED", JobView::createdAt)
                .column("UPDATED", JobView::updatedAt)
                .column("CANCEL REQUESTED", JobView::cancelRequested)
                .column("RESTART OF", JobView::restartOf)
                .column("MESSAGE", j -> j.error() == null ? "" : j.error().message())
                .column("HINT", j -> j.error() == null ? "" : j.error().hint());
    }

    static Table<JobDetails.Step> steps() {
        return new Table<JobDetails.Step>()
                .column("#", JobDetails.Step::index)
                .column("STEP", JobDetails.Step::name)
                .column("STATE", JobDetails.Step::state)
                .column("DETAIL", JobDetails.Step::detail);
    }

    static Table<JobDetails.LogLine> log() {
        return new Table<JobDetails.LogLine>()
                .column("TIME", JobDetails.LogLine::at)
                .column("MESSAGE", JobDetails.LogLine::message);
    }

    static Table<PointView> points() {
        return new Table<PointView>()
                .column("ID", PointView::id)
                .column("LSN", PointView::lsn)
                .column("TIME", PointView::time)
                .column("CONSISTENCY", PointView::consistency)
                .column("GROUP TAG", PointView::groupTag);
    }
}
