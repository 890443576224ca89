package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.boomerang.api.TestingApi;
import org.boomerang.api.control.ControlRoutes;
import org.boomerang.api.dto.Role;
import org.boomerang.common.Clock;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.ControlServer;
import org.boomerang.control.ControlServerConfig;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.control.testing.FakeDataPlane;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;
import org.boomerang.provider.HostId;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.lab.LabSiteProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failback rules that read site state, against the real lab provider (the estate of
 * examples/lab, real sparse image files) through the REST API: each precondition is set through
 * the estate routes and the rule's error code comes back through the API. The data plane is the
 * control module's fake (the seam the real data plane will fill). The process servers are registered at
 * addresses where something listens (reprotect probes them, seed step 1.2).
 */
class LabFailbackRulesTest {
    private static final SiteId PRIMARY = new SiteId("primary");
    private static final SiteId RECOVERY = new SiteId("recovery");
    private static final Path SEEDS = Path.of("..", "examples", "lab", "estate");

    @TempDir
    Path dir;

    private ControlServer server;
    private TestingApi api;
    private FakeDataPlane dataPlane;

    @BeforeEach
    void start() {
        LabSiteProvider primary = LabSiteProvider.open(PRIMARY, dir.resolve("estate/primary"), Optional.of(SEEDS.resolve("primary.yaml")), Clock.SYSTEM);
        LabSiteProvider recovery = LabSiteProvider.open(RECOVERY, dir.resolve("estate/recovery"), Optional.of(SEEDS.resolve("recovery.yaml")), Clock.SYSTEM);
        dataPlane = new FakeDataPlane(Clock.SYSTEM);
        server = new ControlServer(new InMemoryControlStore(), site -> site.equals(PRIMARY) ? primary : recovery, dataPlane, Clock.SYSTEM,
                new ControlServerConfig("lab-test", "127.0.0.1:8080", PRIMARY, Duration.ofSeconds(30), Duration.ofMillis(50), false,
                Duration.ZERO));
        server.start();
        server.inventory().addSite(new Site(PRIMARY, SiteRole.PRIMARY, "lab"));
        server.inventory().addSite(new Site(RECOVERY, SiteRole.RECOVERY, "lab"));
        server.inventory().registerProcessServer(new ProcessServer("ps-primary", PRIMARY, TestingEstate.listeningAddress(0)));
        server.inventory().registerProcessServer(new ProcessServer("ps-recovery", RECOVERY, TestingEstate.listeningAddress(1)));
        server.inventory().registerMasterTarget(new MasterTarget(new MachineId("mt1"), PRIMARY, new HostId("esx1")));
        server.inventory().putPolicy(new ReplicationPolicy(new PolicyId("default"), "default", Duration.ofMinutes(15), Duration.ofHours(24),
                Duration.ofMinutes(5), Duration.ofHours(1), true));
        api = new TestingApi(dir.resolve("api"), ControlRoutes.of(server));
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
    }

    @Test
    void fb22_aDisconnectedVcenterRefusesReprotect() {
        committedAfterFailover("web", "web1");
        estate("PUT", "primary/estate/managers/vc1/connection", "{\"connection\":\"DISCONNECTED\"}");
        assertRefused(post("/api/v1/items/web/reprotect", REPROTECT_OLR), "FB_22_MANAGER_NOT_CONNECTED");
        estate("PUT", "primary/estate/managers/vc1/connection", "{\"connection\":\"CONNECTED\"}");
        runOk("/api/v1/items/web/reprotect", REPROTECT_OLR);
        assertThat(state("web")).isEqualTo("reverse-protected");
    }

    @Test
    void fb14_aSnapshotOnTheMasterTargetRefusesFailback() {
        reverseProtected("web", "web1");
        estate("PUT", "primary/estate/machines/mt1/snapshots/before-patch", null);
        assertRefused(post("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}"), "FB_14_MASTER_TARGET_HAS_SNAPSHOTS");
        estate("DELETE", "primary/estate/machines/mt1/snapshots/before-patch", null);
        runOk("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}");
    }

    @Test
    void fb1_aRecoveredMachineMovedOrDeletedCannotFailBack() {
        String recovered = reverseProtected("web", "web1");
        estate("PUT", "recovery/estate/machines/" + recovered + "/resource-group", "{\"resourceGroup\":\"rg-elsewhere\"}");
        assertRefused(post("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}"), "FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED");
        estate("DELETE", "recovery/estate/machines/" + recovered, null);
        assertRefused(post("/api/v1/items/web/failover", "{\"type\":\"PLANNED\"}"), "FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED");
    }

    @Test
    void fb10_aWindowsServer2008R2Sp1PhysicalServerAsItsInventorySpellsIt() {
        estate("PUT", "primary/estate/machines/phys2008", "{\"kind\":\"PHYSICAL\",\"osFamily\":\"WINDOWS\","
                + "\"osVersion\":\"Microsoft Windows Server 2008 R2 Standard Service Pack 1\",\"datastore\":\"vmfs1\",\"diskSizes\":[16777216]}");
        committedAfterFailover("p", "phys2008");
        assertRefused(post("/api/v1/items/p/reprotect", "{\"location\":\"ALTERNATE\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\","
                + "\"datastore\":\"vmfs1\"}"), "FB_10_WINDOWS_2008_R2_SP1_PHYSICAL_NO_FAILBACK");
    }

    @Test
    void fb8_alternateLocationOntoVsanIsRefused() {
        committedAfterFailover("web", "web1");
        assertRefused(post("/api/v1/items/web/reprotect", "{\"location\":\"ALTERNATE\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\","
                + "\"datastore\":\"vsan1\"}"), "FB_8_ALR_ONLY_ON_VMFS");
    }

    @Test
    void fb21_anAgentThatRegistersLateRefusesReprotectUntilItHasReported() {
        String recovered = committedAfterFailover("web", "web1");
        estate("PUT", "recovery/estate/machines/" + recovered + "/agent", "{\"installed\":true,\"registersAfterSeconds\":900}");
        estate("POST", "recovery/machines/" + recovered + "/power-off", null);
        assertThat(api.post("/api/v1/sites/recovery/machines/" + recovered + "/power-on", Role.OPERATOR, null).status()).isLessThan(300);
        JsonNode refused = assertRefused(post("/api/v1/items/web/reprotect", REPROTECT_OLR), "FB_21_AGENT_NOT_REGISTERED");
        assertThat(refused.path("message").asText()).contains("has not reported since the machine booted");
        estate("PUT", "recovery/estate/machines/" + recovered + "/agent", "{\"installed\":true,\"registersAfterSeconds\":0}");
        runOk("/api/v1/items/web/reprotect", REPROTECT_OLR);
    }

    @Test
    void fb3_aPhysicalServerCannotFailBackIntoAVcenterAddedAfterItWasProtected() {
        committedAfterFailover("p", "phys1");
        String protectedAt = api.get("/api/v1/items/p", Role.READER).json().path("protectedAt").asText();
        // a second vCenter, added now though it claims to have been there since 2020, a host under it, a Linux master target there
        estate("PUT", "primary/estate/managers/vc2", "{\"address\":\"vc2.lab.local\",\"type\":\"VMWARE\",\"addedAt\":\"2020-01-01T00:00:00Z\"}");
        estate("PUT", "primary/estate/hosts/esx7", "{\"type\":\"VMWARE\",\"manager\":\"vc2\",\"discovered\":true}");
        estate("PUT", "primary/estate/datastores/vmfs7", "{\"type\":\"VMFS\",\"reachableFrom\":[\"esx7\"]}");
        estate("PUT", "primary/estate/machines/mt7", "{\"kind\":\"VM\",\"osFamily\":\"LINUX\",\"osVersion\":\"Ubuntu 24.04\",\"host\":\"esx7\","
                + "\"datastore\":\"vmfs7\",\"diskSizes\":[16777216]}");
        assertThat(api.call("PUT", "/api/v1/master-targets/mt7", Role.ADMIN, "{\"site\":\"primary\",\"host\":\"esx7\"}").status()).isEqualTo(200);

        JsonNode refused = assertRefused(post("/api/v1/items/p/reprotect", "{\"location\":\"ALTERNATE\",\"processServer\":\"ps-recovery\","
                + "\"masterTarget\":\"mt7\",\"datastore\":\"vmfs7\"}"), "FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY");
        assertThat(refused.path("message").asText()).contains("vc2").contains("first seen by this control server");
        JsonNode sightings = api.get("/api/v1/sites/primary/manager-sightings", Role.READER).json();
        JsonNode vc2 = null;
        for (JsonNode s : sightings) {
            if (s.path("manager").asText().equals("vc2")) {
                vc2 = s;
            }
        }
        assertThat(vc2).as("the control server recorded when it first saw vc2: %s", sightings).isNotNull();
        assertThat(java.time.Instant.parse(vc2.path("firstSeenAt").asText())).as("not the provider's 2020")
                .isAfter(java.time.Instant.parse(protectedAt));
        assertThat(state("p")).isEqualTo("committed");
    }

    @Test
    void step12_theReverseProcessServerIsValidatedAndTheMasterTargetMatchesTheGuestOs() {
        committedAfterFailover("web", "web1");
        assertRefused(post("/api/v1/items/web/reprotect", "{\"processServer\":\"ps-nowhere\",\"masterTarget\":\"mt1\"}"),
                "PROCESS_SERVER_NOT_FOUND");
        assertRefused(post("/api/v1/items/web/reprotect", "{\"processServer\":\"ps-primary\",\"masterTarget\":\"mt1\"}"),
                "PROCESS_SERVER_AT_WRONG_SITE");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(api.call("PUT", "/api/v1/process-servers/ps-down", Role.ADMIN, "{\"site\":\"recovery\",\"address\":\"127.0.0.1:" + closed + "\"}")
                .status()).isEqualTo(200);
        assertRefused(post("/api/v1/items/web/reprotect", "{\"processServer\":\"ps-down\",\"masterTarget\":\"mt1\"}"),
                "PROCESS_SERVER_UNREACHABLE");

        committedAfterFailover("db", "db1");
        JsonNode mismatch = assertRefused(post("/api/v1/items/db/reprotect", "{\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\"}"),
                "MASTER_TARGET_OS_MISMATCH");
        assertThat(mismatch.path("message").asText()).contains("WINDOWS").contains("LINUX");
        runOk("/api/v1/items/web/reprotect", "{\"processServer\":\"ps-recovery\"}");
        assertThat(api.get("/api/v1/items/web", Role.READER).json().path("processServer").asText()).isEqualTo("ps-recovery");
    }

    @Test
    void step12_membersOfAGroupGoBackThroughOneProcessServerAndMasterTarget() {
        assertThat(api.call("PUT", "/api/v1/groups/tier", Role.ADMIN, "{\"name\":\"web tier\"}").status()).isEqualTo(200);
        server.inventory().registerProcessServer(new ProcessServer("ps-recovery-2", RECOVERY, TestingEstate.listeningAddress(2)));
        for (String[] m : new String[][] {{"web", "web1"}, {"app", "app1"}}) {
            runOk("/api/v1/items", "{\"machine\":\"" + m[1] + "\",\"policy\":\"default\",\"id\":\"" + m[0] + "\",\"group\":\"tier\","
                    + "\"processServer\":\"ps-primary\"}");
            dataPlane.addPoint(PairId.forward(new ItemId(m[0])), MarkerKind.CRASH, Optional.empty());
            runOk("/api/v1/items/" + m[0] + "/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}");
            runOk("/api/v1/items/" + m[0] + "/commit", null);
        }
        runOk("/api/v1/items/web/reprotect", REPROTECT_OLR);
        JsonNode split = assertRefused(post("/api/v1/items/app/reprotect", "{\"processServer\":\"ps-recovery-2\",\"masterTarget\":\"mt1\"}"),
                "GROUP_NOT_TOGETHER");
        assertThat(split.path("hint").asText()).contains("--process-server ps-recovery");
        runOk("/api/v1/items/app/reprotect", REPROTECT_OLR);
        assertThat(state("app")).isEqualTo("reverse-protected");
    }

    @Test
    void fb17_anUnplannedFailbackThatCannotReachTheRecoverySiteStopsUntilTheOperatorConfirms() throws Exception {
        String recovered = reverseProtected("web", "web1");
        // the recovery site goes away: its estate cannot be read or changed any more
        Path site = dir.resolve("estate/recovery");
        Path away = dir.resolve("estate/recovery-away");
        java.nio.file.Files.move(site, away);
        JsonNode stopped = runEnded("/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\"}");
        assertThat(stopped.path("state").asText()).isEqualTo("FAILED");
        assertThat(stopped.path("error").path("code").asText()).isEqualTo("FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN");
        assertThat(stopped.path("error").path("hint").asText()).contains("--confirm-source-unreachable");
        assertThat(state("web")).as("nothing happened: the view was not opened").isEqualTo("reverse-protected");
        assertThat(dataPlane.calls()).noneMatch(c -> c.startsWith("open " + PairId.reverse(new ItemId("web"))));

        assertRefused(post("/api/v1/items/web/failover", "{\"type\":\"PLANNED\",\"confirmSourceUnreachable\":true}"), "INVALID_REQUEST");
        JsonNode confirmed = runEnded("/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\",\"confirmSourceUnreachable\":true}");
        assertThat(confirmed.path("state").asText()).as("%s", confirmed).isEqualTo("SUCCEEDED");
        assertThat(state("web")).isEqualTo("failed-back");
        java.nio.file.Files.move(away, site);
        assertThat(api.post("/api/v1/sites/recovery/machines/" + recovered + "/power-on", Role.OPERATOR, null).json().path("code").asText())
                .as("the recovery-site machine stays fenced").isEqualTo("MACHINE_FENCED");
    }

    @Test
    void fb17_anUnplannedFailbackSeesTheRecoveryMachineOffBeforeTheViewOpens() {
        String recovered = reverseProtected("web", "web1");
        JsonNode job = runEnded("/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\"}");
        assertThat(job.path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode inv = api.post("/api/v1/sites/recovery/discover", Role.OPERATOR, null).json();
        for (JsonNode m : inv.path("machines")) {
            if (m.path("id").asText().equals(recovered)) {
                assertThat(m.path("power").asText()).isEqualTo("OFF");
            }
        }
        String log = api.get("/api/v1/jobs/" + job.path("id").asText(), Role.READER).json().toString();
        assertThat(log).contains("is off and none of its disks is served any more");
    }

    private static final String REPROTECT_OLR = "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\"}";

    /** Protects {@code machine} as {@code item}, fails it over (planned) and commits; returns the recovered machine's id. */
    private String committedAfterFailover(String item, String machine) {
        runOk("/api/v1/items", "{\"machine\":\"" + machine + "\",\"policy\":\"default\",\"id\":\"" + item + "\",\"processServer\":\"ps-primary\"}");
        dataPlane.addPoint(PairId.forward(new ItemId(item)), MarkerKind.CRASH, Optional.empty());
        runOk("/api/v1/items/" + item + "/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}");
        runOk("/api/v1/items/" + item + "/commit", null);
        String recovered = api.get("/api/v1/items/" + item, Role.READER).json().path("recoveryMachine").asText();
        JsonNode inv = api.post("/api/v1/sites/recovery/discover", Role.OPERATOR, null).json();
        assertThat(inv.findValuesAsText("id")).as("the recovered machine exists at the lab's recovery site").contains(recovered);
        return recovered;
    }

    private String reverseProtected(String item, String machine) {
        String recovered = committedAfterFailover(item, machine);
        runOk("/api/v1/items/" + item + "/reprotect", REPROTECT_OLR);
        dataPlane.addPoint(PairId.reverse(new ItemId(item)), MarkerKind.CRASH, Optional.empty());
        assertThat(state(item)).isEqualTo("reverse-protected");
        return recovered;
    }

    private void estate(String method, String path, String body) {
        TestingApi.Reply r = api.call(method, "/api/v1/sites/" + path, Role.ADMIN, body);
        assertThat(r.status()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
    }

    private TestingApi.Reply post(String path, String body) {
        return api.post(path, Role.OPERATOR, body);
    }

    private static JsonNode assertRefused(TestingApi.Reply r, String code) {
        assertThat(r.json().path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(r.status()).isBetween(400, 599);
        return r.json();
    }

    private String state(String item) {
        return api.get("/api/v1/items/" + item, Role.READER).json().path("state").asText();
    }

    /** Submits a job and follows it to its end; the job as {@code GET /api/v1/jobs/{id}} shows it ({@code job}). */
    private JsonNode runEnded(String path, String body) {
        TestingApi.Reply r = api.post(path, Role.OPERATOR, body);
        assertThat(r.status()).as("%s: %s", path, r.body()).isEqualTo(202);
        String id = r.json().path("id").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode job = api.get("/api/v1/jobs/" + id, Role.READER).json().path("job");
            if (job.path("terminal").asBoolean()) {
                return job;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + id + " did not end");
    }

    private void runOk(String path, String body) {
        TestingApi.Reply r = api.post(path, Role.OPERATOR, body);
        assertThat(r.status()).as("%s: %s", path, r.body()).isEqualTo(202);
        String id = r.json().path("id").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode job = api.get("/api/v1/jobs/" + id, Role.READER).json().path("job");
            if (job.path("terminal").asBoolean()) {
                assertThat(job.path("state").asText()).as("job %s: %s", path, job).isEqualTo("SUCCEEDED");
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + id + " did not end");
    }
}
