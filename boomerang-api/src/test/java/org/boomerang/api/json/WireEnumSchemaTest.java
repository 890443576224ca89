package org.boomerang.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PointView;
import org.junit.jupiter.api.Test;

/** States on the wire are published as enums; the client-side UNKNOWN is not among what the server sends. */
class WireEnumSchemaTest {
    @Test
    void jobStatesConsistencyAndCategoriesArePublishedAsEnums() {
        JsonSchemas schemas = new JsonSchemas();
        schemas.schemaOf(JobView.class);
        schemas.schemaOf(PointView.class);
        Map<String, Object> components = schemas.components();
        assertThat(components.get("JobStateView")).isEqualTo(Map.of("type", "string", "enum",
                java.util.List.of("QUEUED", "RUNNING", "WAITING_FOR_OPERATOR", "CANCELLING", "SUCCEEDED", "FAILED", "CANCELLED")));
        assertThat(components.get("ConsistencyView")).isEqualTo(Map.of("type", "string", "enum", java.util.List.of("CRASH", "APP")));
        assertThat(components).containsKey("ErrorType");
    }
}
