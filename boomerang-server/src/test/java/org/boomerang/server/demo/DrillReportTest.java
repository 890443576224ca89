package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drill report's JSON (a stable interface: field names, round trip) and its Markdown. */
class DrillReportTest {
    private static final long DISK = 64L << 20;

    private static DrillReport report(boolean lastCheckPasses) {
        DrillReport.Sync tracked = new DrillReport.Sync("lin1", "lin1-disk0", "tracked", "both change maps trustworthy", DISK,
                3L << 20, 3L << 20, 2_097_152 + 20_000, 2_097_152L, 0.8);
        DrillReport.Sync full = new DrillReport.Sync("phys1", "phys1-disk0", "full", "alternate location (FB-9)", DISK, DISK, 0, DISK, null, 2.5);
        return new DrillReport("lab-host (2 cores)", "2026-12-06T22:00:00Z", DISK, List.of())
                .with(new DrillReport.Step("enable", "2026-12-06T22:00:00Z", 1.25, null, null, null, List.of(), null))
                .with(new DrillReport.Step("failover", "2026-12-06T22:00:05Z", 0.41, 1.0, "pt-17", "crash-consistent", List.of(),
                        List.of(new DrillReport.JobTime("lin1", "job-9", 0.35, 0.31)),
                        new DrillReport.Verification(List.of(new DrillReport.Check("lin1-disk0", "digest", true, "sha256 ab12"),
                                new DrillReport.Check("lin1-disk0", "e2fsck", true, "clean")))))
                .with(new DrillReport.Step("reprotect", "2026-12-06T22:00:09Z", 12.5, null, null, null, List.of(tracked, full),
                        new DrillReport.Verification(List.of(new DrillReport.Check("phys1-disk0", "files", lastCheckPasses,
                                lastCheckPasses ? "4 files" : "/etc/hostname cannot be read")))));
    }

    @Test
    void theJsonHasTheStableFieldsAndReadsBack() throws Exception {
        DrillReport r = report(true);
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.get("passed").asBoolean()).isTrue();
        assertThat(json.get("diskSizeBytes").asLong()).isEqualTo(DISK);
        JsonNode failover = json.get("steps").get(1);
        assertThat(failover.get("name").asText()).isEqualTo("failover");
        assertThat(failover.get("seconds").asDouble()).isEqualTo(0.41);
        assertThat(failover.get("rpoSeconds").asDouble()).isEqualTo(1.0);
        assertThat(failover.get("recoveryPoint").asText()).isEqualTo("pt-17");
        assertThat(failover.get("pointKind").asText()).isEqualTo("crash-consistent");
        assertThat(failover.get("verification").get("passed").asBoolean()).isTrue();
        assertThat(json.get("steps").get(0).has("rpoSeconds")).as("absent values are left out").isFalse();
        assertThat(json.get("steps").get(0).has("jobs")).as("a step without job times has no jobs").isFalse();
        JsonNode job = failover.get("jobs").get(0);
        assertThat(job.fieldNames()).toIterable().containsExactlyInAnyOrder("item", "job", "seconds", "serverSeconds");
        assertThat(job.get("seconds").asDouble()).isEqualTo(0.35);
        assertThat(job.get("serverSeconds").asDouble()).isEqualTo(0.31);
        JsonNode sync = json.get("steps").get(2).get("syncs").get(0);
        assertThat(sync.fieldNames()).toIterable().containsExactlyInAnyOrder("item", "disk", "mode", "reason", "diskSizeBytes",
                "bytesReadSource", "bytesReadTarget", "bytesSent", "changedBytes", "seconds");
        assertThat(DrillReport.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void theMarkdownHasARowPerStepAndPerSyncAndAFailedCheckFailsTheReport() {
        String ok = report(true).toMarkdown();
        assertThat(ok).contains("**passed**").contains("| failover | 0.41 s | 1.00 s | pt-17 | crash-consistent | passed (2 checks) |")
                .contains("| enable | 1.25 s | — | — | — | — |")
                .contains("| reprotect | lin1 | lin1-disk0 | tracked (both change maps trustworthy) | 3.0 MiB | 3.0 MiB |")
                .contains("| 1.010 |")
                .contains("| failover | lin1 | job-9 | 0.35 s | 0.31 s |")
                .contains("| reprotect | phys1 | phys1-disk0 | full (alternate location (FB-9)) | 64.0 MiB | 0 B | 64.0 MiB | 1.000 | — | 2.50 s |");
        DrillReport bad = report(false);
        assertThat(bad.passed()).isFalse();
        assertThat(bad.toMarkdown()).contains("**FAILED**").contains("FAILED** (1 of 1)").contains("/etc/hostname cannot be read");
    }
}
