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
 * control module's fake (the seam the real data plane will fill).
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
                new ControlServerConfig("lab-test", "127.0.0.1:8080", PRIMARY, Duration.ofSeconds(30), Duration.ofMillis(50), false));
        server.start();
        server.inventory().addSite(new Site(PRIMARY, SiteRole.PRIMARY, "lab"));
        server.inventory().addSite(new Site(RECOVERY, SiteRole.RECOVERY, "lab"));
        server.inventory().registerProcessServer(new ProcessServer("ps-primary", PRIMARY, "127.0.0.1:9001"));
        server.inventory().registerProcessServer(new ProcessServer("ps-recovery", RECOVERY, "127.0.0.1:9002"));
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
