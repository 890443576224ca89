package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.api.OpenApiValidator;
import org.boomerang.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document {@code boomerang server} serves, with the routes the server adds (backups): the
 * figures docs/api.md gives are the document's own, and the server's own routes answer as it says.
 */
class OpenApiDocumentTest {
    private static final Pattern FIGURES = Pattern.compile("(\\d+) paths, (\\d+) operations and (\\d+) schemas");

    @TempDir
    Path data;

    @Test
    void docsApiMdGivesTheServedDocumentsFiguresAndBackupRoutesConform() throws Exception {
        ServerConfig config = new ServerConfig(data, "127.0.0.1", 0, ServerConfig.Database.SQLITE, "primary", "test-node",
                new ServerConfig.Backup(Duration.ZERO, 2), List.of(), false, data);
        TestingCli plain = new TestingCli(List.of());
        String token = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "admin").lastLine();
        try (ServerRuntime server = new ServerRuntime(config).start()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            String text = http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(), HttpResponse.BodyHandlers.ofString()).body();
            OpenApiValidator validator = new OpenApiValidator(text);
            JsonNode doc = validator.document();
            int operations = 0;
            for (Iterator<JsonNode> it = doc.path("paths").elements(); it.hasNext(); ) {
                operations += it.next().size();
            }
            String figures = doc.path("paths").size() + " paths, " + operations + " operations and "
                    + doc.path("components").path("schemas").size() + " schemas";
            String api = Files.readString(Path.of("..", "docs", "api.md"));
            Matcher m = FIGURES.matcher(api);
            assertThat(m.find()).as("docs/api.md says 'N paths, N operations and N schemas'").isTrue();
            assertThat(m.group()).as("docs/api.md's figures of the served document").isEqualTo(figures);

            for (String method : List.of("POST", "GET")) { // a backup taken, then the list with it
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/backups"))
                        .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                OpenApiValidator.Verdict v = validator.check(method, "/api/v1/backups", r.statusCode(),
                        r.headers().firstValue("Content-Type").orElse(null), r.body());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(method.equals("POST") ? 201 : 200);
                assertThat(v.problems()).as("%s: %s", v.operation(), r.body()).isEmpty();
            }
        }
    }
}
