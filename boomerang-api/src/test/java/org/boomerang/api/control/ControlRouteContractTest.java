package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.boomerang.api.RouteTableContractAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole API's route table: documented = registered, and every role boundary holds. */
class ControlRouteContractTest {
    @TempDir
    Path dir;

    @Test
    void openApiDocumentMatchesEveryRoute() {
        try (TestingControlApi t = new TestingControlApi(dir)) {
            RouteTableContractAccess.documentMatchesRoutes(t.api);
            assertThat(t.api.server.routes()).hasSizeGreaterThan(50);
        }
    }

    @Test
    void everyRoleBoundaryIsEnforcedOnEveryRoute() {
        try (TestingControlApi t = new TestingControlApi(dir)) {
            assertThat(RouteTableContractAccess.rolesAreEnforced(t.api)).contains(
                    "GET /api/v1/items READER allowed",
                    "POST /api/v1/items/{id}/failover READER refused",
                    "POST /api/v1/items/{id}/failover OPERATOR allowed",
                    "PUT /api/v1/policies/{id} OPERATOR refused",
                    "PUT /api/v1/policies/{id} ADMIN allowed",
                    "POST /api/v1/jobs/{id}/cancel READER refused",
                    "GET /api/v1/jobs/{id}/events READER allowed",
                    "PUT /api/v1/plans/{id} OPERATOR refused",
                    "POST /api/v1/plans/{id}/failback OPERATOR allowed");
        }
    }
}
