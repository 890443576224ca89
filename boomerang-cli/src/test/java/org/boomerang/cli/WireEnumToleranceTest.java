package org.boomerang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.boomerang.api.dto.ConnectionView;
import org.boomerang.api.dto.ConsistencyView;
import org.boomerang.api.dto.DatastoreTypeView;
import org.boomerang.api.dto.GuestToolsView;
import org.boomerang.api.dto.Health;
import org.boomerang.api.dto.HealthStatusView;
import org.boomerang.api.dto.HypervisorTypeView;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.ItemHealthView;
import org.boomerang.api.dto.ItemStateView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobKindView;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.MachineKindView;
import org.boomerang.api.dto.OperationView;
import org.boomerang.api.dto.OsFamilyView;
import org.boomerang.api.dto.PointView;
import org.boomerang.api.dto.PowerView;
import org.boomerang.api.dto.StepStateView;
import org.boomerang.common.ErrorType;
import org.junit.jupiter.api.Test;

/** The documented rule for enum values a newer server adds: the CLI reads them, as UNKNOWN (or null), and goes on. */
class WireEnumToleranceTest {
    private final ObjectMapper json = ApiClient.mapper();

    @Test
    void aJobStateOrCategoryFromANewerServerIsReadNotRefused() throws Exception {
        JobView job = json.readValue("""
                {"id":"j1","kind":"ITEM_OPERATION","state":"PAUSED_BY_A_NEWER_SERVER","terminal":true,"percent":10,
                 "error":{"code":"NEW_CODE","category":"A_NEW_CATEGORY","message":"m","hint":"h"}}
                """, JobView.class);
        assertThat(job.state()).isEqualTo(JobStateView.UNKNOWN);
        assertThat(job.error().category()).isNull();
        assertThat(RemoteErrorCode.of(job.error().code(), job.error().category()).type()).isEqualTo(ErrorType.INTERNAL);
        assertThat(json.readValue("{\"state\":\"SUCCEEDED\"}", JobView.class).state()).isEqualTo(JobStateView.SUCCEEDED);
    }

    @Test
    void anItemStateOperationHealthOrKindFromANewerServerIsReadAsUnknown() throws Exception {
        ItemView item = json.readValue("""
                {"id":"web","kind":"CONTAINER","state":"hibernating","health":"DEGRADED","activeOperation":"migrate",
                 "allowedActions":["planned-failover","migrate"]}
                """, ItemView.class);
        assertThat(item.kind()).isEqualTo(MachineKindView.UNKNOWN);
        assertThat(item.state()).isEqualTo(ItemStateView.UNKNOWN);
        assertThat(item.health()).isEqualTo(ItemHealthView.UNKNOWN);
        assertThat(item.activeOperation()).isEqualTo(OperationView.UNKNOWN);
        assertThat(item.allowedActions()).containsExactly(OperationView.PLANNED_FAILOVER, OperationView.UNKNOWN);
        assertThat(json.readValue("{\"state\":\"failed-over\"}", ItemView.class).state()).isEqualTo(ItemStateView.FAILED_OVER);
        java.io.StringWriter table = new java.io.StringWriter();
        Views.items().print(java.util.List.of(json.readValue("""
                {"id":"web","state":"reverse-protected","allowedActions":["planned-failover"]}
                """, ItemView.class)), new java.io.PrintWriter(table, true));
        assertThat(table.toString()).as("tables print the wire values").contains("reverse-protected").contains("planned-failover");
    }

    @Test
    void aJobKindOrStepStateFromANewerServerIsReadAsUnknown() throws Exception {
        JobDetails details = json.readValue("""
                {"job":{"id":"j","kind":"SITE_OPERATION","state":"RUNNING"},"steps":[{"index":0,"name":"s","state":"SKIPPED"}],"log":[]}
                """, JobDetails.class);
        assertThat(details.job().kind()).isEqualTo(JobKindView.UNKNOWN);
        assertThat(details.steps().get(0).state()).isEqualTo(StepStateView.UNKNOWN);
    }

    @Test
    void inventoryValuesFromANewerServerAreReadAsUnknown() throws Exception {
        InventoryView inv = json.readValue("""
                {"site":"s","managers":[{"id":"m","type":"XEN","connection":"DEGRADED"}],"hosts":[{"id":"h","type":"XEN"}],
                 "datastores":[{"id":"d","type":"ZFS"}],
                 "machines":[{"id":"x","kind":"VM","osFamily":"BSD","power":"SUSPENDED","tools":"OUTDATED"}]}
                """, InventoryView.class);
        assertThat(inv.managers().get(0).type()).isEqualTo(HypervisorTypeView.UNKNOWN);
        assertThat(inv.managers().get(0).connection()).isEqualTo(ConnectionView.UNKNOWN);
        assertThat(inv.hosts().get(0).type()).isEqualTo(HypervisorTypeView.UNKNOWN);
        assertThat(inv.datastores().get(0).type()).isEqualTo(DatastoreTypeView.UNKNOWN);
        assertThat(inv.machines().get(0).osFamily()).isEqualTo(OsFamilyView.UNKNOWN);
        assertThat(inv.machines().get(0).power()).isEqualTo(PowerView.UNKNOWN);
        assertThat(inv.machines().get(0).tools()).isEqualTo(GuestToolsView.UNKNOWN);
    }

    @Test
    void aHealthStatusFromANewerServerIsUnknownNotUp() throws Exception {
        Health h = json.readValue("""
                {"status":"DEGRADED","version":"9","checks":[{"name":"database","status":"READ_ONLY","detail":null},
                 {"name":"data-folder","status":"UP","detail":"/d"}]}
                """, Health.class);
        assertThat(h.status()).isEqualTo(HealthStatusView.UNKNOWN);
        assertThat(h.checks()).extracting(Health.HealthCheck::status).containsExactly(HealthStatusView.UNKNOWN, HealthStatusView.UP);
        assertThat(new Health.HealthCheck("probe", "up", null).status()).isEqualTo(HealthStatusView.UP);
        assertThat(new Health.HealthCheck("probe", "sleepy", null).status()).isEqualTo(HealthStatusView.DOWN);
    }

    @Test
    void anUnknownConsistencyIsUnknownNotApp() throws Exception {
        PointView p = json.readValue("{\"id\":\"p\",\"consistency\":\"QUIESCED\"}", PointView.class);
        assertThat(p.consistency()).isEqualTo(ConsistencyView.UNKNOWN);
    }
}
