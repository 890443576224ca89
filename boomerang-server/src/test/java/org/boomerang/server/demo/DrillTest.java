package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.server.cli.CommandLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boomerang drill --size 64M --output json --report FILE}: the whole cycle on the sample estate
 * passes, and its JSON report says so step by step — every recovered and failed-back disk equal to its
 * source, every ext4 filesystem clean with its files, the VMs' reprotect a tracked sync that sends
 * only the changed blocks, the physical server's a full one (FB-9), and the reprotect to the recovery
 * site after the failback's commit a tracked sync too (FB-20: the recovery site keeps the disks the
 * failback came from).
 */
class DrillTest {
    @TempDir
    Path dir;

    @Test
    void theDrillPassesAndItsJsonReportShowsEveryStep() throws Exception {
        Path reportFile = dir.resolve("report.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = CommandLines.create(new org.boomerang.server.cli.BoomerangCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("drill", "--data", dir.resolve("data").toString(), "--size", "64M", "--output", "json", "--report", reportFile.toString());
        DrillReport report = DrillReport.fromJson(java.nio.file.Files.readString(reportFile));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.steps()).extracting(DrillReport.Step::name).contains("enable protection and initial sync", "unplanned failover",
                "commit the failover", "reprotect to the primary site", "failback", "commit the failback", "reprotect to the recovery site again");
        DrillReport.Step failover = step(report, "unplanned failover");
        assertThat(failover.verification().checks()).extracting(DrillReport.Check::kind).contains("digest", "e2fsck");
        assertThat(failover.verification().checks()).allMatch(DrillReport.Check::passed);
        assertThat(failover.pointKind()).contains("APP"); // win1 at its latest app-consistent point
        for (String name : List.of("unplanned failover", "failback")) {
            DrillReport.Step st = step(report, name);
            assertThat(st.jobs()).as(name + ": each item's job timed alone").extracting(DrillReport.JobTime::item)
                    .containsExactly("lin1", "lin2", "win1", "phys1");
            assertThat(st.jobs()).allSatisfy(j -> {
                assertThat(j.seconds()).isPositive().isLessThan(st.seconds());
                assertThat(j.serverSeconds()).isPositive().isLessThanOrEqualTo(j.seconds());
            });
        }
        assertThat(step(report, "failback").verification().checks()).filteredOn(c -> c.kind().equals("digest")).hasSize(4)
                .allMatch(DrillReport.Check::passed);
        DrillReport.Step reprotect = step(report, "reprotect to the primary site");
        assertThat(reprotect.syncs()).hasSize(4);
        for (DrillReport.Sync s : reprotect.syncs()) {
            if (s.item().equals("phys1")) {
                assertThat(s.mode()).isEqualTo("full");
            } else {
                assertThat(s.mode()).as(s.toString()).isEqualTo("tracked");
                assertThat(s.bytesSent()).isPositive().isLessThanOrEqualTo((long) (1.02 * s.changedBytes()));
                assertThat(s.bytesSent()).isLessThan(s.diskSizeBytes() / 4);
            }
        }
        DrillReport.Step again = step(report, "reprotect to the recovery site again");
        assertThat(again.syncs()).as("FB-20: the recovery site kept the disks the failback came from").hasSize(4).allSatisfy(s -> {
            assertThat(s.mode()).as(s.toString()).isEqualTo("tracked");
            assertThat(s.reason()).contains("failed back from");
            assertThat(s.bytesSent()).as("the workload after the failback wrote").isPositive()
                    .isLessThanOrEqualTo((long) (1.02 * s.changedBytes()));
            assertThat(s.bytesSent()).isLessThan(s.diskSizeBytes() / 4);
        });
        assertThat(step(report, "test failover after reprotect again").verification().checks())
                .as("the replica the tracked sync made holds every write").filteredOn(c -> c.kind().equals("digest")).hasSize(4)
                .allMatch(DrillReport.Check::passed);
        assertThat(out.toString()).as("the JSON report is also on standard output").containsPattern("\"passed\" ?: ?true");
    }

    @Test
    void theSampledVerificationPassesAndSaysWhatItRead() throws Exception {
        Path reportFile = dir.resolve("sampled.json");
        picocli.CommandLine cli = CommandLines.create(new org.boomerang.server.cli.BoomerangCommand());
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("drill", "--data", dir.resolve("sampled").toString(), "--size", "64M", "--verify", "sampled", "--output", "json",
                "--report", reportFile.toString());
        DrillReport report = DrillReport.fromJson(java.nio.file.Files.readString(reportFile));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(report.passed()).isTrue();
        for (String name : List.of("unplanned failover", "failback")) {
            assertThat(step(report, name).verification().checks()).filteredOn(c -> c.kind().equals("digest")).hasSize(4)
                    .allSatisfy(c -> assertThat(c.detail()).startsWith("sampled ("));
        }
        assertThat(step(report, "unplanned failover").verification().checks()).extracting(DrillReport.Check::kind).contains("e2fsck");

        StringWriter bad = new StringWriter();
        cli.setErr(new PrintWriter(bad, true));
        assertThat(cli.execute("drill", "--data", dir.resolve("x").toString(), "--verify", "some")).isEqualTo(2);
        assertThat(bad.toString()).contains("--verify takes full or sampled");
    }

    /**
     * {@code drill --chaos}: the roles run as child processes; the primary site's process server is
     * killed (SIGKILL) during the workload and its master target during the reprotect toward it. Both
     * come back as new processes, and the drill still passes: every disk equal to its source after the
     * failover and the failback, and the VMs' reprotect still a tracked sync (no full resync).
     */
    @Test
    void theChaosDrillKillsTheRolesAndStillPasses() throws Exception {
        Path reportFile = dir.resolve("chaos.json");
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = CommandLines.create(new org.boomerang.server.cli.BoomerangCommand());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("drill", "--data", dir.resolve("chaos").toString(), "--size", "64M", "--chaos", "--output", "json",
                "--report", reportFile.toString());
        DrillReport report = DrillReport.fromJson(java.nio.file.Files.readString(reportFile));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.kills()).extracting(DrillReport.Kill::role, DrillReport.Kill::site, DrillReport.Kill::step).containsExactly(
                org.assertj.core.groups.Tuple.tuple("process-server", "primary", "workload at the primary site"),
                org.assertj.core.groups.Tuple.tuple("master-target", "primary", "reprotect to the primary site"));
        assertThat(report.kills()).allSatisfy(k -> {
            assertThat(k.restartedPid()).as("a new process").isPositive().isNotEqualTo(k.pid());
            assertThat(ProcessHandle.of(k.pid())).as("the killed process is gone").isEmpty();
            assertThat(k.restartedAfterSeconds()).isPositive().isLessThanOrEqualTo(k.caughtUpAfterSeconds());
        });
        assertThat(err.toString()).contains("killed the process-server of site primary", "killed the master-target of site primary");
        for (String name : List.of("unplanned failover", "failback")) {
            assertThat(step(report, name).verification().checks()).filteredOn(c -> c.kind().equals("digest")).hasSize(4)
                    .allMatch(DrillReport.Check::passed);
        }
        for (DrillReport.Sync s : step(report, "reprotect to the primary site").syncs()) {
            assertThat(s.mode()).as(s.toString()).isEqualTo(s.item().equals("phys1") ? "full" : "tracked");
        }
        assertThat(dir.resolve("chaos/server/dataplane/sites/primary/master-target.log")).content()
                .as("the master target ran as a child process, twice").containsPattern("(?s)listening on.*listening on");
    }

    private static DrillReport.Step step(DrillReport r, String name) {
        return r.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
