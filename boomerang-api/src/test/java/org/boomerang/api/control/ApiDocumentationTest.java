package org.boomerang.api.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.api.ApiRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/api.md lists every route with its role, as the route table has it; the test prints the rows it misses. */
class ApiDocumentationTest {
    @TempDir
    Path dir;

    @Test
    void theRouteTableInDocsApiMdIsComplete() throws Exception {
        Path doc = Path.of("..", "docs", "api.md");
        assertThat(doc).as("docs/api.md").exists();
        String text = Files.readString(doc);
        List<String> missing = new ArrayList<>();
        try (TestingControlApi t = new TestingControlApi(dir)) {
            for (ApiRoute r : t.api.server.routes()) {
                String row = "| `" + r.method() + "` | `" + r.path() + "` | " + r.access().label() + " | " + r.summary() + " |";
                if (!text.contains(row)) {
                    missing.add(row);
                }
            }
        }
        assertThat(missing).as("rows missing from docs/api.md:\n" + String.join("\n", missing)).isEmpty();
    }
}
