package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.boomerang.api.control.TestingControlApi;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.PairId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command line against a real API server (a control server over fake sites and data
 * plane): scripted round trips, JSON and table output, progress, and exit codes by category.
 */
class CliAgainstServerTest {
    @TempDir
    Path dir;

    TestingControlApi server;
    TestingCli operator;
    TestingCli reader;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        server = new TestingControlApi(dir);
        operator = cli(Role.OPERATOR);
        reader = cli(Role.READER);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestingCli cli(Role role) {
        return new TestingCli(List.of("--server", server.api.base(), "--token", server.api.tokenOf.get(role)));
    }

    @Test
    void scriptedFailoverCommitReprotectFailbackCommitReprotectRoundTrip() throws Exception {
        TestingCli.Run enable = operator.client("items", "enable", "--machine", "web1", "--policy", "default", "--id", "web",
                "--process-server", "ps-primary", "--wait");
        assertThat(enable.exit()).as(enable.err()).isZero();
        assertThat(enable.out()).contains("SUCCEEDED: enable of item web");
        assertThat(operator.client("items", "list").out()).contains("web").contains("protected");

        server.forwardPoint("web");
        assertThat(operator.client("points", "list", "web").out()).contains("CRASH");

        TestingCli.Run failover = operator.client("items", "failover", "web", "--type", "planned", "--point", "latest-processed", "--wait");
        assertThat(failover.exit()).as(failover.err()).isZero();
        assertThat(failover.out()).contains("SUCCEEDED: planned-failover of item web");
        assertThat(state("web")).isEqualTo("failed-over");

        assertThat(operator.client("items", "commit", "web", "--wait").exit()).isZero();
        assertThat(state("web")).isEqualTo("committed");
        server.registerRecoveryAgent("web");

        TestingCli.Run reprotect = operator.client("items", "reprotect", "web", "--process-server", "ps-recovery", "--master-target", "mt1",
                "--location", "original", "--wait");
        assertThat(reprotect.exit()).as(reprotect.err()).isZero();
        assertThat(state("web")).isEqualTo("reverse-protected");

        server.reversePoint("web");
        TestingCli.Run failback = operator.client("items", "failover", "web", "--type", "planned", "--wait");
        assertThat(failback.exit()).as(failback.err()).isZero();
        assertThat(failback.out()).contains("(failback)");
        assertThat(state("web")).isEqualTo("failed-back");

        assertThat(operator.client("items", "commit", "web", "--wait").exit()).isZero();
        assertThat(state("web")).isEqualTo("committed-back");
        assertThat(operator.client("items", "reprotect", "web", "--process-server", "ps-primary", "--wait").exit()).isZero();
        assertThat(operator.client("items", "show", "web").out()).contains("STATE:").contains("protected");
        assertThat(operator.client("jobs", "list", "--target", "web").out()).contains("SUCCEEDED").contains("reprotect of item web");

        Path transcript = Path.of("target", "cli-roundtrip.txt");
        Files.createDirectories(transcript.getParent());
        Files.writeString(transcript, operator.transcript());
    }

    @Test
    void jsonOutputIsTheApiRecord() throws Exception {
        server.protectWeb();
        TestingCli.Run list = reader.client("items", "list", "--output", "json");
        assertThat(list.exit()).isZero();
        JsonNode items = json.readTree(list.out());
        assertThat(items.get(0).path("id").asText()).isEqualTo("web");
        assertThat(items.get(0).path("allowedActions").toString()).contains("planned-failover");
        JsonNode job = json.readTree(operator.client("items", "disable", "web", "--output", "json").out());
        assertThat(job.path("id").asText()).isNotBlank();
        JsonNode done = json.readTree(operator.client("jobs", "watch", job.path("id").asText(), "--output", "json").out()
                .replaceAll("(?s).*\n\\{", "{"));
        assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode details = json.readTree(reader.client("jobs", "show", job.path("id").asText(), "-o", "json").out());
        assertThat(details.path("steps").size()).isPositive();
    }

    @Test
    void itemsShowTheMeasuredReplicationAndAlertsListTheItemsOverTheirThreshold() {
        server.protectWeb();
        String show = reader.client("items", "show", "web").out();
        assertThat(show).contains("HEALTH:").contains("OK").contains("REPLICATION:").contains("protected").contains("RPO:").contains("0.000s")
                .contains("RPO THRESHOLD:").contains("LAST CRASH POINT:").contains("CONDITIONS:");
        assertThat(reader.client("items", "list").out()).contains("REPLICATION").contains("RPO");
        assertThat(reader.client("alerts").out()).startsWith("ITEM").doesNotContain("web");

        org.boomerang.control.dataplane.PairId pair = org.boomerang.control.dataplane.PairId.forward(new org.boomerang.control.protection.ItemId("web"));
        server.estate.dataPlane.reportHealth(server.estate.dataPlane.measurement(pair, org.boomerang.control.dataplane.ReplicationState.INITIAL_SYNC,
                0.42, java.util.Optional.empty(), List.of()));
        assertThat(reader.client("items", "list").out()).contains("initial-sync 42%").contains("WARNING");

        server.estate.dataPlane.reportHealth(server.estate.dataPlane.measurement(pair, org.boomerang.control.dataplane.ReplicationState.PROTECTED,
                1, java.util.Optional.of(java.time.Duration.ofMinutes(20)), List.of()));
        TestingCli.Run alerts = reader.client("alerts");
        assertThat(alerts.exit()).isZero();
        assertThat(alerts.out()).contains("web").contains("WARNING").contains("1200.000s").contains("RPO_EXCEEDED");
    }

    @Test
    void tablesHaveHeaders() {
        server.protectWeb();
        assertThat(reader.client("items", "list").out()).startsWith("ID").contains("STATE").contains("ALLOWED");
        assertThat(reader.client("jobs", "list").out()).startsWith("ID").contains("PROGRESS");
        String id = reader.client("jobs", "list", "-o", "json").out().replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");
        assertThat(reader.client("jobs", "show", id).out()).contains("STATE:").contains("MESSAGE").contains("requested: enable of item web");
    }

    @Test
    void jobsWatchPrintsPlainProgressLinesOffATerminal() throws Exception {
        committedWeb();
        CountDownLatch gate = new CountDownLatch(1);
        server.estate.dataPlane.holdSyncs(gate);
        String started = operator.client("items", "reprotect", "web").out();
        String id = started.replaceAll("(?s)^job (\\S+) .*", "$1");
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        TestingCli.Run watch = reader.client("jobs", "watch", id);
        assertThat(watch.exit()).isZero();
        List<String> lines = watch.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("job " + id + " ");
        assertThat(lines).noneMatch(l -> l.contains("\r"));
        assertThat(lines.getLast()).isEqualTo("job " + id + " SUCCEEDED: reprotect of item web");
    }

    @Test
    void exitCodesFollowTheErrorCategory() {
        server.protectWeb();
        TestingCli.Run illegal = operator.client("items", "commit", "web");
        assertThat(illegal.exit()).isEqualTo(5);
        assertThat(illegal.err()).startsWith("error: ILLEGAL_TRANSITION: cannot commit item web: it is protected")
                .contains("allowed now: ").contains("planned-failover");

        TestingCli.Run missing = operator.client("items", "show", "ghost");
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err()).startsWith("error: ITEM_NOT_FOUND");

        TestingCli.Run forbidden = reader.client("items", "failover", "web");
        assertThat(forbidden.exit()).isEqualTo(3);
        assertThat(forbidden.err()).startsWith("error: API_ROLE_TOO_LOW");

        TestingCli noToken = new TestingCli(List.of("--server", server.api.base()));
        TestingCli.Run anonymous = noToken.client("items", "list");
        assertThat(anonymous.exit()).isEqualTo(3);
        assertThat(anonymous.err()).startsWith("error: API_UNAUTHENTICATED");

        TestingCli down = new TestingCli(List.of("--server", "http://127.0.0.1:1", "--token", "x"));
        TestingCli.Run unreachable = down.client("items", "list");
        assertThat(unreachable.exit()).isEqualTo(8);
        assertThat(unreachable.err()).startsWith("error: CLI_SERVER_UNREACHABLE").contains("boomerang server");

        TestingCli.Run usage = operator.client("items", "failover", "web", "--type", "sideways");
        assertThat(usage.exit()).isEqualTo(2);
        TestingCli.Run badPoint = operator.client("items", "change-point", "web", "--point", "lsn:x");
        assertThat(badPoint.exit()).isIn(2, 5);
    }

    @Test
    void waitingForAFailedJobExitsWithTheJobsErrorCategory() {
        committedWeb();
        server.estate.dataPlane.failSyncs(new BoomerangException(ControlError.STEP_FAILED, "the process server is away", "bring it back"));
        TestingCli.Run run = operator.client("items", "reprotect", "web", "--wait");
        assertThat(run.exit()).isEqualTo(8);
        assertThat(run.err()).startsWith("error: STEP_FAILED: job ").contains("the process server is away").contains("boomerang jobs restart");
        String failed = run.out().lines().filter(l -> l.contains("FAILED")).findFirst().orElseThrow().split(" ")[1];
        server.estate.dataPlane.failSyncs(null);
        TestingCli.Run restart = operator.client("jobs", "restart", failed, "--wait");
        assertThat(restart.exit()).as(restart.err()).isZero();
        assertThat(state("web")).isEqualTo("reverse-protected");
    }

    @Test
    void planWithAManualStepIsResumedFromTheCli() {
        server.protectWeb();
        server.forwardPoint("web");
        server.api.call("PUT", "/api/v1/plans/tier1", Role.ADMIN, "{\"name\":\"tier 1\",\"groups\":[{\"name\":\"web\",\"items\":[\"web\"],"
                + "\"pre\":[{\"type\":\"MANUAL\",\"instruction\":\"stop the load balancer\"}]}]}");
        assertThat(reader.client("plans", "list").out()).contains("tier1").contains("tier 1");
        assertThat(reader.client("plans", "show", "tier1").out()).contains("stop the load balancer");
        TestingCli.Run start = operator.client("plans", "failover", "tier1", "--type", "unplanned");
        assertThat(start.exit()).as(start.err()).isZero();
        String id = start.out().replaceAll("(?s)^job (\\S+) .*", "$1");
        awaitJobState(id, "WAITING_FOR_OPERATOR");
        assertThat(reader.client("jobs", "show", id).out()).contains("WAITING_FOR_OPERATOR").contains("stop the load balancer");
        TestingCli.Run resume = operator.client("jobs", "resume", id, "--wait");
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(state("web")).isEqualTo("failed-over");
    }

    private void committedWeb() {
        server.protectWeb();
        server.forwardPoint("web");
        server.runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
        server.runOk("/api/v1/items/web/commit", null);
        server.registerRecoveryAgent("web");
    }

    private void awaitJobState(String id, String state) {
        for (int i = 0; i < 1500; i++) {
            if (server.api.get("/api/v1/jobs/" + id, Role.READER).json().path("job").path("state").asText().equals(state)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("job " + id + " never reached " + state);
    }

    private String state(String item) {
        return server.state(item);
    }
}
