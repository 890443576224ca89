package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Locale;
import org.boomerang.common.ByteSize;

/**
 * What a drill did and found, step by step: for each step (enable, initial sync, failover, commit,
 * reprotect, failback, …) when it started and how long it took, the RPO seen, the recovery point
 * used and its kind, what each sync read and sent against the disk's size, and what the
 * verification after it found. Rendered as Markdown for people ({@link #toMarkdown()}) and as JSON
 * for checks ({@link #toJson()}, {@link #fromJson}); the JSON field names are a stable interface.
 *
 * <pre>
 * {"host": "…", "startedAt": "ISO-8601", "diskSizeBytes": 67108864, "passed": true,
 *  "steps": [{"name": "failover", "startedAt": "…", "seconds": 0.41, "rpoSeconds": 1.0,
 *             "recoveryPoint": "…", "pointKind": "crash-consistent",
 *             "syncs": [{"item": "lin1", "disk": "lin1-disk0", "mode": "tracked", "reason": "…",
 *                        "diskSizeBytes": …, "bytesReadSource": …, "bytesReadTarget": …, "bytesSent": …,
 *                        "changedBytes": …, "seconds": …}],
 *             "jobs": [{"item": "lin1", "job": "…", "seconds": 0.35, "serverSeconds": 0.31}],
 *             "verification": {"passed": true, "checks": [{"subject": "lin1-disk0", "kind": "digest", "passed": true, "detail": "…"}]}}],
 *  "kills": [{"role": "process-server", "site": "primary", "step": "workload at the primary site", "pid": 4242,
 *             "killedAt": "ISO-8601", "restartedPid": 4250, "restartedAfterSeconds": 1.2, "caughtUpAfterSeconds": 2.3}]}
 * </pre>
 *
 * {@code kills} (with {@code drill --chaos} only) lists each role process the drill killed with SIGKILL:
 * when, in which step, the process id before and after, how long until the role listened again
 * ({@code restartedAfterSeconds}) and until every item streaming through it had a recovery point newer
 * than the restart ({@code caughtUpAfterSeconds}).
 *
 * {@code jobs} times each item's job of a failover or failback step alone, without the verification
 * the step's {@code seconds} include: {@code seconds} from the request to the drill seeing the job
 * end (it polls every 50 ms), {@code serverSeconds} from the job's creation to its last update as
 * the control server recorded them.
 *
 * Optional values ({@code rpoSeconds}, {@code recoveryPoint}, {@code pointKind}, {@code reason},
 * {@code changedBytes}, {@code jobs}, {@code verification}) are left out when the step has none. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillReport(String host, String startedAt, long diskSizeBytes, List<Step> steps,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Kill> kills) {
    public DrillReport {
        requireNonNull(host, "host is null");
        requireNonNull(startedAt, "startedAt is null");
        steps = steps == null ? List.of() : List.copyOf(steps);
        kills = kills == null ? List.of() : List.copyOf(kills);
    }

    /** A report without kills. */
    public DrillReport(String host, String startedAt, long diskSizeBytes, List<Step> steps) {
        this(host, startedAt, diskSizeBytes, steps, List.of());
    }

    public DrillReport with(Kill kill) {
        List<Kill> all = new java.util.ArrayList<>(kills);
        all.add(kill);
        return new DrillReport(host, startedAt, diskSizeBytes, steps, all);
    }

    /** A role process the drill killed (SIGKILL) and how it came back. */
    public record Kill(String role, String site, String step, long pid, String killedAt, long restartedPid, double restartedAfterSeconds,
                       double caughtUpAfterSeconds) {
        public Kill {
            requireNonNull(role, "role is null");
            requireNonNull(site, "site is null");
            requireNonNull(step, "step is null");
            requireNonNull(killedAt, "killedAt is null");
        }
    }

    /** True when every step's verification passed (a step without one does not count against it). */
    @com.fasterxml.jackson.annotation.JsonProperty("passed")
    public boolean passed() {
        return steps.stream().allMatch(s -> s.verification() == null || s.verification().passed());
    }

    public DrillReport with(Step step) {
        List<Step> all = new java.util.ArrayList<>(steps);
        all.add(step);
        return new DrillReport(host, startedAt, diskSizeBytes, all, kills);
    }

    /** One step of the drill. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String name, String startedAt, double seconds, Double rpoSeconds, String recoveryPoint, String pointKind,
                       List<Sync> syncs, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JobTime> jobs, Verification verification) {
        public Step {
            requireNonNull(name, "name is null");
            requireNonNull(startedAt, "startedAt is null");
            syncs = syncs == null ? List.of() : List.copyOf(syncs);
            jobs = jobs == null ? List.of() : List.copyOf(jobs);
        }

        /** A step without job times. */
        public Step(String name, String startedAt, double seconds, Double rpoSeconds, String recoveryPoint, String pointKind,
                    List<Sync> syncs, Verification verification) {
            this(name, startedAt, seconds, rpoSeconds, recoveryPoint, pointKind, syncs, List.of(), verification);
        }
    }

    /** How long one item's job of a step took: as the drill saw it and as the control server recorded it. */
    public record JobTime(String item, String job, double seconds, double serverSeconds) {
        public JobTime {
            requireNonNull(item, "item is null");
            requireNonNull(job, "job is null");
        }
    }

    /** One disk's sync in a step: mode and why, bytes read at each side and sent between the sites. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sync(String item, String disk, String mode, String reason, long diskSizeBytes, long bytesReadSource, long bytesReadTarget,
                       long bytesSent, Long changedBytes, double seconds) {
        /** Bytes sent per byte of disk: 1.0 is a full copy. */
        @JsonIgnore
        public double sentPerDiskByte() {
            return diskSizeBytes == 0 ? 0 : (double) bytesSent / diskSizeBytes;
        }

        /** Bytes sent per changed byte (the goal of a tracked sync is at most 1.02); empty without a change count. */
        @JsonIgnore
        public java.util.OptionalDouble sentPerChangedByte() {
            return changedBytes == null || changedBytes == 0 ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of((double) bytesSent / changedBytes);
        }
    }

    /** What was checked after a step. */
    public record Verification(List<Check> checks) {
        public Verification {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        @com.fasterxml.jackson.annotation.JsonProperty("passed")
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }
    }

    /** One check: of what ({@code lin1-disk0}), which kind ({@code digest}, {@code e2fsck}, {@code files}), its outcome and what it saw. */
    public record Check(String subject, String kind, boolean passed, String detail) {}

    // JSON

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a drill report always serialises", e);
        }
    }

    public static DrillReport fromJson(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, DrillReport.class);
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    // Markdown

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Boomerang drill report\n\n");
        md.append("Host: ").append(host).append(" · started ").append(startedAt).append(" · disks of ").append(ByteSize.format(diskSizeBytes))
                .append(" · **").append(passed() ? "passed" : "FAILED").append("**\n\n");
        md.append("| Step | Time | RPO seen | Recovery point | Kind | Verification |\n");
        md.append("|---|---:|---:|---|---|---|\n");
        for (Step s : steps) {
            md.append("| ").append(s.name())
                    .append(" | ").append(seconds(s.seconds()))
                    .append(" | ").append(s.rpoSeconds() == null ? "—" : seconds(s.rpoSeconds()))
                    .append(" | ").append(s.recoveryPoint() == null ? "—" : cell(s.recoveryPoint()))
                    .append(" | ").append(s.pointKind() == null ? "—" : s.pointKind())
                    .append(" | ").append(verdict(s.verification()))
                    .append(" |\n");
        }
        List<Step> withSyncs = steps.stream().filter(s -> !s.syncs().isEmpty()).toList();
        if (!withSyncs.isEmpty()) {
            md.append("\n## Syncs\n\n");
            md.append("| Step | Item | Disk | Mode | Read at source | Read at target | Sent | Sent / disk | Sent / changed | Time |\n");
            md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (Step s : withSyncs) {
                for (Sync y : s.syncs()) {
                    md.append("| ").append(s.name()).append(" | ").append(y.item()).append(" | ").append(y.disk())
                            .append(" | ").append(y.mode()).append(y.reason() == null ? "" : " (" + cell(y.reason()) + ")")
                            .append(" | ").append(ByteSize.format(y.bytesReadSource()))
                            .append(" | ").append(ByteSize.format(y.bytesReadTarget()))
                            .append(" | ").append(ByteSize.format(y.bytesSent()))
                            .append(" | ").append(String.format(Locale.ROOT, "%.3f", y.sentPerDiskByte()))
                            .append(" | ").append(y.sentPerChangedByte().isPresent() ? String.format(Locale.ROOT, "%.3f", y.sentPerChangedByte().getAsDouble()) : "—")
                            .append(" | ").append(seconds(y.seconds())).append(" |\n");
                }
            }
        }
        List<Step> withJobs = steps.stream().filter(s -> !s.jobs().isEmpty()).toList();
        if (!withJobs.isEmpty()) {
            md.append("\n## Jobs\n\n");
            md.append("| Step | Item | Job | Time | Server time |\n");
            md.append("|---|---|---|---:|---:|\n");
            for (Step s : withJobs) {
                for (JobTime j : s.jobs()) {
                    md.append("| ").append(s.name()).append(" | ").append(j.item()).append(" | ").append(j.job())
                            .append(" | ").append(seconds(j.seconds())).append(" | ").append(seconds(j.serverSeconds())).append(" |\n");
                }
            }
        }
        if (!kills.isEmpty()) {
            md.append("\n## Kills\n\n");
            md.append("| Step | Role | Site | Killed (SIGKILL) | Process | Listening again after | Caught up after |\n");
            md.append("|---|---|---|---|---|---:|---:|\n");
            for (Kill k : kills) {
                md.append("| ").append(cell(k.step())).append(" | ").append(k.role()).append(" | ").append(k.site())
                        .append(" | ").append(k.killedAt()).append(" | ").append(k.pid()).append(" → ").append(k.restartedPid())
                        .append(" | ").append(seconds(k.restartedAfterSeconds())).append(" | ").append(seconds(k.caughtUpAfterSeconds()))
                        .append(" |\n");
            }
        }
        List<Step> verified = steps.stream().filter(s -> s.verification() != null).toList();
        if (!verified.isEmpty()) {
            md.append("\n## Verification\n\n");
            for (Step s : verified) {
                for (Check c : s.verification().checks()) {
                    md.append("- ").append(s.name()).append(": ").append(c.subject()).append(' ').append(c.kind()).append(' ')
                            .append(c.passed() ? "passed" : "**FAILED**").append(c.detail() == null || c.detail().isEmpty() ? "" : " — " + c.detail())
                            .append('\n');
                }
            }
        }
        return md.toString();
    }

    private static String verdict(Verification v) {
        if (v == null) {
            return "—";
        }
        long failed = v.checks().stream().filter(c -> !c.passed()).count();
        return failed == 0 ? "passed (" + v.checks().size() + " checks)" : "**FAILED** (" + failed + " of " + v.checks().size() + ")";
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.1f s", s);
    }

    /** A table cell: no pipes or line breaks. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
