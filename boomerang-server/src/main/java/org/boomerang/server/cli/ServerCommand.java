package org.boomerang.server.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.boomerang.server.ServerRuntime;
import org.boomerang.server.config.ServerConfig;
import org.boomerang.server.config.ServerConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang server [--config FILE] [--data DIR] [--bind ADDR] [--port 8080]}: runs the
 * control server (REST API on SQLite under the data folder by default) until interrupted.
 * Subcommands manage what lives in the data folder: {@code token create|list|revoke}, and the
 * control database: {@code backup}, {@code restore}.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the control server: REST API, jobs, database (SQLite under the data folder unless configured).",
        subcommands = {TokenCommand.class, ServerBackupCommand.class, ServerRestoreCommand.class, ServerConfigKeysCommand.class,
                picocli.CommandLine.HelpCommand.class})
public final class ServerCommand implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerCommand.class);
    CommandSpec spec;

    /** Injected when the command line is built: the help's footer lists the config keys, read from the config records. */
    @Spec
    void spec(CommandSpec value) {
        this.spec = value;
        value.usageMessage().footer("%nConfig file keys (--config; 'server config-keys' shows their defaults, docs/configuration.md what they mean):%n"
                + wrap(ServerConfigKeys.names(), 96) + "%n");
    }

    /** {@code text} in lines of at most {@code width} characters, broken after commas, each indented by two spaces. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder("  ");
        for (String word : text.split(" ")) {
            if (line.length() > 2 && line.length() + 1 + word.length() > width) {
                out.append(line).append("%n");
                line = new StringBuilder("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(word);
        }
        return out.append(line).toString();
    }

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML (or JSON) file with the keys listed below; options override it.")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "The data folder (default: ./data).")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDR", description = "The address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "The API port (default: 8080; 0 picks a free port).")
    Integer port;

    @Option(names = "--db-url", paramLabel = "URL", description = "A PostgreSQL JDBC URL instead of the SQLite file DIR/control.db.")
    String dbUrl;

    @Override
    public void run() {
        Map<String, Object> options = new HashMap<>();
        options.put("data", data);
        options.put("bind", bind);
        options.put("port", port);
        options.put("database.url", dbUrl);
        ServerConfig config = ServerConfig.load(configFile, options);
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        ServerRuntime runtime = new ServerRuntime(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM (or SIGINT): stop the API, stop taking jobs, stop running scripts' process
            // groups and hand their steps over, release the data folder; then the JVM exits
            LOG.info("stopping: the API closes, no new jobs are taken, running steps are handed over");
            runtime.close();
            LOG.info("stopped");
            stopped.countDown();
        }, "boomerang-shutdown"));
        out.println("Boomerang control server listening on http://" + config.bind() + ":" + runtime.port() + " (data: " + config.data() + ")");
        out.println("Portal: http://" + config.bind() + ":" + runtime.port() + "/ (sign in with an API token)");
        out.println("API: http://" + config.bind() + ":" + runtime.port() + "/openapi.json; health: /health; metrics: /metrics");
        if (config.writeAdminToken() && Files.exists(config.data().resolve(ServerRuntime.ADMIN_TOKEN_FILE))) {
            out.println("Admin token: " + config.data().resolve(ServerRuntime.ADMIN_TOKEN_FILE)
                    + " (export BOOMERANG_TOKEN=$(cat " + config.data().resolve(ServerRuntime.ADMIN_TOKEN_FILE) + "))");
        }
        if (!config.sites().isEmpty()) {
            out.println("Sites: " + config.sites().stream().map(s -> s.id() + " (" + s.provider() + ", " + s.estateIn(config.data()) + ")")
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (!runtime.hasTokens()) {
            out.println("No API tokens yet: create one with 'boomerang server token create --data " + config.data() + " --role admin'");
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.close();
        }
    }
}
