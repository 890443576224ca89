package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boomerang server --config examples/lab/server.yaml} (on port 0, with a temporary data
 * folder): both lab sites are seeded on first start, the admin token is written, the CLI lists the
 * estate with its real image files, and a precondition set through the CLI shows in the inventory.
 */
class LabServerTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "lab", "server.yaml");

    @TempDir
    Path data;

    private ServerConfig config() {
        Map<String, Object> options = new HashMap<>();
        options.put("data", data.toString());
        options.put("port", 0);
        return ServerConfig.load(EXAMPLE, options);
    }

    @Test
    void theLabExampleStartsSeedsBothSitesAndListsTheEstate() throws Exception {
        ServerConfig config = config();
        assertThat(config.sites()).extracting(s -> s.id()).containsExactly("primary", "recovery");
        assertThat(config.writeAdminToken()).isTrue();
        try (ServerRuntime server = new ServerRuntime(config).start()) {
            String token = Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip();
            assertThat(token).startsWith("bmr_");
            assertThat(Files.getPosixFilePermissions(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
            TestingCli cli = new TestingCli(List.of("--server", "http://127.0.0.1:" + server.port(), "--token", token));

            assertThat(cli.client("inventory", "sites").out()).contains("primary").contains("recovery").contains("lab");
            TestingCli.Run shown = cli.client("inventory", "show", "primary", "--output", "json");
            assertThat(shown.exit()).as(shown.err()).isZero();
            JsonNode inv = new ObjectMapper().readTree(shown.out());
            assertThat(inv.get("managers").get(0).get("id").asText()).isEqualTo("vc1");
            assertThat(inv.get("datastores").findValuesAsText("type")).contains("VMFS", "VSAN", "RDM");
            JsonNode web1 = machine(inv, "web1");
            assertThat(web1.get("power").asText()).isEqualTo("ON");
            assertThat(web1.get("agentRegistered").asBoolean()).isTrue();
            Path image = Path.of(web1.get("disks").get(0).get("image").asText());
            assertThat(image).startsWith(data.resolve("estate/primary").toAbsolutePath());
            assertThat(Files.size(image)).isEqualTo(64L << 20);
            assertThat(machine(inv, "phys1").path("host").isMissingNode() || machine(inv, "phys1").path("host").isNull()).isTrue();
            assertThat(machine(inv, "phys1").get("kind").asText()).isEqualTo("PHYSICAL");

            TestingCli.Run disconnected = cli.client("inventory", "disconnect", "primary", "vc1");
            assertThat(disconnected.exit()).as(disconnected.err()).isZero();
            JsonNode after = new ObjectMapper().readTree(cli.client("inventory", "show", "primary", "--output", "json").out());
            assertThat(after.get("managers").get(0).get("connection").asText()).isEqualTo("DISCONNECTED");
            assertThat(cli.client("inventory", "show", "recovery").out()).contains("cloud-host");
        }
        try (ServerRuntime again = new ServerRuntime(config()).start()) {
            TestingCli cli = new TestingCli(List.of("--server", "http://127.0.0.1:" + again.port(), "--token",
                    Files.readString(data.resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip()));
            JsonNode inv = new ObjectMapper().readTree(cli.client("inventory", "discover", "primary", "--output", "json").out());
            assertThat(inv.get("managers").get(0).get("connection").asText()).as("the estate outlives a restart; the seed is not read again")
                    .isEqualTo("DISCONNECTED");
        }
    }

    private static JsonNode machine(JsonNode inv, String id) {
        for (JsonNode m : inv.get("machines")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no machine " + id + " in " + inv);
    }
}
