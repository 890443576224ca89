package org.boomerang.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route-table contract for the routes this module owns (system and tokens). */
class SystemRoutesContractTest {
    @TempDir
    Path dir;

    @Test
    void openApiDocumentMatchesTheRoutes() {
        try (TestingApi api = new TestingApi(dir, List.of())) {
            RouteTableContract.documentMatchesRoutes(api);
        }
    }

    @Test
    void everyRoleBoundaryIsEnforced() {
        try (TestingApi api = new TestingApi(dir, List.of())) {
            assertThat(RouteTableContract.rolesAreEnforced(api))
                    .contains("GET /api/v1/tokens OPERATOR refused", "GET /api/v1/tokens ADMIN allowed",
                            "GET /metrics READER allowed", "POST /api/v1/tokens READER refused");
        }
    }
}
