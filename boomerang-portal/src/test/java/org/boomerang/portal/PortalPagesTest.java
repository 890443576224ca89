package org.boomerang.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.boomerang.api.dto.Role;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only pages over real HTTP: inventory, alerts, jobs, an item's RPO series. */
class PortalPagesTest {
    @TempDir
    static Path dir;
    static TestingPortal portal;
    static Http http;

    @BeforeAll
    static void start() {
        portal = new TestingPortal(dir);
        portal.estate.protect("web", TestingEstate.WEB1);
        http = new Http(portal.base());
        http.signIn(portal.tokenOf.get(Role.READER));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void theInventoryShowsSitesHostsDatastoresMachinesAgentsAndRoles() {
        String page = http.get("/inventory").body();
        assertThat(page).contains("<td>primary</td>", "<td>recovery</td>", "<td>vc1.example</td>", "<td>vsan1</td>", "<td>VSAN</td>",
                "<td>esx9</td>", "<td>ps-primary</td>", "<td>mt1</td>", "last heartbeat 2026-01-01 00:00:00 UTC");
    }

    @Test
    void alertsNameTheItemWhoseHealthIsNotOk() {
        assertThat(http.get("/alerts").body()).contains("no-alerts");
        org.boomerang.control.dataplane.PairId pair = org.boomerang.control.dataplane.PairId.forward(new ItemId("web"));
        portal.estate.dataPlane.reportHealth(portal.estate.dataPlane.measurement(pair, org.boomerang.control.dataplane.ReplicationState.PROTECTED,
                1, java.util.Optional.of(java.time.Duration.ZERO), java.util.List.of("agent of web1")));
        portal.estate.server.protection().measureHealth();
        try {
            String page = http.get("/alerts").body();
            assertThat(page).doesNotContain("no-alerts").contains("alert-critical").contains("item web").contains("replication health is critical");
        } finally {
            portal.estate.dataPlane.measureNormally(pair);
            portal.estate.server.protection().measureHealth();
        }
    }

    @Test
    void jobsAreListedAndFilteredByState() {
        String all = http.get("/jobs").body();
        assertThat(all).contains("enable of item web").contains("jobstate-succeeded");
        assertThat(http.get("/jobs?state=FAILED").body()).contains("0 jobs").doesNotContain("enable of item web");
    }

    @Test
    void theRpoSeriesIsJson() {
        var r = http.get("/items/web/rpo.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(r.body()).startsWith("{\"t\":[").contains("\"threshold\":900");
    }
}
