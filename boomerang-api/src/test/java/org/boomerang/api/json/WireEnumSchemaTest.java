package org.boomerang.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PointView;
import org.junit.jupiter.api.Test;

/** States on the wire are published as enums with their wire values; the client-side UNKNOWN is not among what the server sends. */
class WireEnumSchemaTest {
    @Test
    void jobStatesConsistencyAndCategoriesArePublishedAsEnums() {
        JsonSchemas schemas = new JsonSchemas();
        schemas.schemaOf(JobView.class);
        schemas.schemaOf(PointView.class);
        Map<String, Object> components = schemas.components();
        assertThat(components.get("JobStateView")).isEqualTo(Map.of("type", "string", "enum",
                java.util.List.of("QUEUED", "RUNNING", "WAITING_FOR_OPERATOR", "CANCELLING", "SUCCEEDED", "FAILED", "CANCELLED")));
        assertThat(components.get("ConsistencyView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("CRASH", "APP", "GROUP")));
        assertThat(components).containsKey("ErrorType");
    }

    @Test
    void itemStatesOperationsHealthKindsAndStepStatesArePublishedAsEnumsWithTheirWireValues() {
        JsonSchemas schemas = new JsonSchemas();
        schemas.schemaOf(ItemView.class);
        schemas.schemaOf(JobDetails.class);
        schemas.schemaOf(InventoryView.class);
        Map<String, Object> components = schemas.components();
        assertThat(components.get("ItemStateView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("unprotected",
                "initial-sync", "protected", "test-running", "failed-over", "committed", "reverse-sync", "reverse-protected",
                "failed-back", "committed-back")));
        assertThat(components.get("OperationView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("enable",
                "test-failover", "cleanup", "planned-failover", "unplanned-failover", "change-recovery-point", "commit",
                "cancel-failover", "reprotect", "disable")));
        assertThat(components.get("ItemHealthView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("OK", "WARNING", "CRITICAL")));
        assertThat(components.get("MachineKindView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("VM", "PHYSICAL")));
        assertThat(components.get("JobKindView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("ITEM_OPERATION", "PLAN_OPERATION")));
        assertThat(components.get("StepStateView")).isEqualTo(Map.of("type", "string", "enum",
                java.util.List.of("STARTED", "DONE", "WAITING", "FAILED", "COMPENSATED")));
        assertThat(components.get("HypervisorTypeView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("VMWARE", "HYPER_V", "CLOUD")));
        assertThat(components.get("ConnectionView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("CONNECTED", "DISCONNECTED")));
        assertThat(components.get("DatastoreTypeView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("VMFS", "VSAN", "RDM", "NFS")));
        assertThat(components.get("OsFamilyView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("WINDOWS", "LINUX")));
        assertThat(components.get("PowerView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("ON", "OFF")));
        schemas.schemaOf(org.boomerang.api.dto.Health.class);
        assertThat(components.get("HealthStatusView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("UP", "DOWN")));
        assertThat(components.get("GuestToolsView")).isEqualTo(Map.of("type", "string", "enum",
                java.util.List.of("RUNNING", "DISABLED", "NOT_INSTALLED")));
    }

    /** Each control-plane enum maps onto its wire enum with the same wire value (the labels of SPEC §3). */
    @Test
    void theWireValuesAreTheControlPlanesLabels() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = ApiJson.strictMapper();
        for (org.boomerang.control.protection.ItemState s : org.boomerang.control.protection.ItemState.values()) {
            assertThat(mapper.writeValueAsString(org.boomerang.api.control.ControlViewsAccess.state(s))).isEqualTo("\"" + s.label() + "\"");
        }
        for (org.boomerang.control.protection.Operation o : org.boomerang.control.protection.Operation.values()) {
            assertThat(mapper.writeValueAsString(org.boomerang.api.control.ControlViewsAccess.operation(o))).isEqualTo("\"" + o.label() + "\"");
        }
    }
}
