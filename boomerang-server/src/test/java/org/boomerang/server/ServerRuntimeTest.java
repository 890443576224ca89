package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code boomerang server} as it runs: SQLite under the data folder, tokens from
 * {@code server token create}, the real CLI against it, and no secret in any log line.
 */
class ServerRuntimeTest {
    @TempDir
    Path data;

    private ServerConfig config() {
        return new ServerConfig(data, "127.0.0.1", 0, ServerConfig.Database.SQLITE, "primary", "test-node", new ServerConfig.Backup(Duration.ZERO, 2), java.util.List.of(), false, data);
    }

    @Test
    void tokenCreatePrintsTheTokenLastAndTheServerAcceptsIt() throws Exception {
        TestingCli plain = new TestingCli(List.of());
        TestingCli.Run created = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "operator", "--label", "ci");
        assertThat(created.exit()).isZero();
        String token = created.lastLine();
        assertThat(token).startsWith("bmr_");
        assertThat(Files.readString(data.resolve("api-tokens"))).doesNotContain(token.substring(15));
        assertThat(plain.plain("server", "token", "create", "--data", data.toString(), "--role", "root").exit()).isEqualTo(2);

        try (ServerRuntime server = new ServerRuntime(config()).start()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> health = get(base + "/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"database\"").contains("\"UP\"");
            assertThat(get(base + "/api/v1/whoami", token).body()).contains("OPERATOR");

            TestingCli cli = new TestingCli(List.of("--server", base, "--token", token));
            assertThat(cli.client("items", "list").out()).startsWith("ID");
            assertThat(cli.client("jobs", "list", "-o", "json").out().strip()).isEqualTo("[ ]");
            assertThat(cli.client("inventory", "identity").out()).contains("primary");
            TestingCli.Run noProvider = cli.client("inventory", "discover", "primary");
            assertThat(noProvider.exit()).isIn(4, 8);

            // A token created while the server runs works at once; a revoked one stops working.
            TestingCli.Run later = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "reader");
            assertThat(get(base + "/api/v1/whoami", later.lastLine()).statusCode()).isEqualTo(200);
            String id = later.lastLine().substring(4, 14);
            assertThat(plain.plain("server", "token", "revoke", "--data", data.toString(), id).exit()).isZero();
            assertThat(get(base + "/api/v1/whoami", later.lastLine()).statusCode()).isEqualTo(401);
            assertThat(plain.plain("server", "token", "list", "--data", data.toString()).out()).contains("operator").contains("ci")
                    .doesNotContain(token.substring(15));
        }
    }

    @Test
    void noSecretReachesAnyLog() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = ctx.getLogger("org.boomerang");
        Level rootBefore = root.getLevel();
        Level oursBefore = ours.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(ctx);
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.TRACE);
        try {
            TestingCli plain = new TestingCli(List.of());
            String token = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "admin").lastLine();
            try (ServerRuntime server = new ServerRuntime(config()).start()) {
                String base = "http://127.0.0.1:" + server.port();
                get(base + "/api/v1/whoami", token);
                get(base + "/api/v1/whoami", token + "x");
                get(base + "/api/v1/tokens", token);
                TestingCli cli = new TestingCli(List.of("--server", base, "--token", token));
                cli.client("tokens", "create", "--role", "reader");
                cli.client("items", "show", "nope");
            }
            String secret = token.substring(15);
            assertThat(appender.list).isNotEmpty();
            for (ILoggingEvent e : appender.list) {
                assertThat(e.getFormattedMessage()).doesNotContain(secret).doesNotContain("Bearer ");
                if (e.getThrowableProxy() != null) {
                    assertThat(e.getThrowableProxy().getMessage() == null ? "" : e.getThrowableProxy().getMessage()).doesNotContain(secret);
                }
            }
        } finally {
            root.detachAppender(appender);
            root.setLevel(rootBefore);
            ours.setLevel(oursBefore);
        }
    }

    @Test
    void anAdminBacksTheDatabaseUpOverTheApiAndOldBackupsArePruned() throws Exception {
        TestingCli plain = new TestingCli(List.of());
        String admin = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "admin").lastLine();
        String operator = plain.plain("server", "token", "create", "--data", data.toString(), "--role", "operator").lastLine();
        try (ServerRuntime server = new ServerRuntime(config()).start()) {
            String base = "http://127.0.0.1:" + server.port();
            TestingCli cli = new TestingCli(List.of("--server", base, "--token", admin));
            for (int i = 0; i < 3; i++) {
                TestingCli.Run made = cli.client("backups", "create");
                assertThat(made.exit()).as(made.err()).isZero();
                assertThat(made.out()).contains("control-");
                Thread.sleep(1100); // backup names carry the second
            }
            String list = cli.client("backups", "list", "-o", "json").out();
            assertThat(list.split("\"name\"", -1)).hasSize(3); // keep = 2
            assertThat(list).contains("\"rows\" : ").doesNotContain("\"rows\" : -1");
            TestingCli.Run table = cli.client("backups", "list");
            assertThat(table.out()).contains("ROWS");
            try (var files = Files.list(data.resolve("backups"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".bkp")).count()).isEqualTo(2);
            }
            TestingCli.Run refused = new TestingCli(List.of("--server", base, "--token", operator)).client("backups", "create");
            assertThat(refused.exit()).isEqualTo(3);
            assertThat(refused.err()).startsWith("error: API_ROLE_TOO_LOW");
        }
    }

    @Test
    void aRestartKeepsTheIdentityAndTheTokens() throws Exception {
        String token = new TestingCli(List.of()).plain("server", "token", "create", "--data", data.toString(), "--role", "reader").lastLine();
        String first;
        try (ServerRuntime server = new ServerRuntime(config()).start()) {
            first = get("http://127.0.0.1:" + server.port() + "/api/v1/identity", token).body();
        }
        try (ServerRuntime server = new ServerRuntime(config()).start()) {
            assertThat(get("http://127.0.0.1:" + server.port() + "/api/v1/identity", token).body()).isEqualTo(first);
        }
        assertThat(Files.exists(data.resolve("control.db"))).isTrue();
    }

    @Test
    void metricsCountJobsItemsBackupsAndAuthFailuresAndLabelUnmatchedRoutes() throws Exception {
        String admin = new TestingCli(List.of()).plain("server", "token", "create", "--data", data.toString(), "--role", "admin").lastLine();
        try (ServerRuntime server = new ServerRuntime(config()).start()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/api/v1/whoami", admin + "x").statusCode()).isEqualTo(401);
            assertThat(get(base + "/api/v1/no-such-route", admin).statusCode()).isEqualTo(404);
            assertThat(new TestingCli(List.of("--server", base, "--token", admin)).client("backups", "create").exit()).isZero();
            String metrics = get(base + "/metrics", admin).body();
            assertThat(metrics).contains("boomerang_jobs{state=\"running\",type=\"plan-operation\"} 0.0")
                    .contains("boomerang_items{health=\"ok\",state=\"protected\"} 0.0")
                    .contains("boomerang_job_duration_seconds_count{state=\"succeeded\",type=\"item-operation\"}")
                    .contains("boomerang_api_auth_failures_total{reason=\"API_UNAUTHENTICATED\"} 1.0")
                    .contains("route=\"unmatched\"");
            assertThat(metrics.lines().filter(l -> l.startsWith("boomerang_backup_last_success_seconds ")).findFirst().orElseThrow())
                    .doesNotContain("NaN");
        }
    }

    /** {@code --db-url}: the same server on PostgreSQL, in a fresh schema, when BOOMERANG_TEST_PG_URL names one. */
    @Test
    void runsOnPostgresqlByUrl() throws Exception {
        String pg = System.getenv("BOOMERANG_TEST_PG_URL");
        org.junit.jupiter.api.Assumptions.assumeTrue(pg != null && !pg.isBlank(),
                "BOOMERANG_TEST_PG_URL is not set (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres): PostgreSQL run skipped");
        String schema = "t_api_" + Long.toHexString(System.nanoTime());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            String token = new TestingCli(List.of()).plain("server", "token", "create", "--data", data.toString(), "--role", "admin").lastLine();
            ServerConfig onPg = new ServerConfig(data, "127.0.0.1", 0, new ServerConfig.Database(Optional.of(url)), "primary", "test-node", new ServerConfig.Backup(Duration.ZERO, 2), java.util.List.of(), false, data);
            try (ServerRuntime server = new ServerRuntime(onPg).start()) {
                String base = "http://127.0.0.1:" + server.port();
                assertThat(get(base + "/health", null).body()).contains("postgresql").contains("\"UP\"");
                TestingCli cli = new TestingCli(List.of("--server", base, "--token", token));
                assertThat(cli.client("items", "list").exit()).isZero();
                assertThat(cli.client("backups", "create").exit()).isZero();
            }
            assertThat(Files.exists(data.resolve("control.db"))).as("no SQLite file when a URL is given").isFalse();
        } finally {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg); java.sql.Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
