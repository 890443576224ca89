package org.boomerang.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.boomerang.common.BoomerangException;

/**
 * How {@code boomerang server} runs. Every field has a default, so the server starts without a
 * config file: data under {@code ./data}, SQLite in {@code <data>/control.db}, the API on
 * {@code 127.0.0.1:8080}. A config file (Java properties, UTF-8) may set any of:
 *
 * <pre>
 * data = /var/lib/boomerang        # the data folder: database, API tokens, backups
 * bind = 0.0.0.0                   # the address the API listens on
 * port = 8080                      # the API port (0 picks a free one)
 * database.url = jdbc:postgresql://db:5432/boomerang?user=boomerang
 * site = primary                   # the site this control server stands at (FB-13)
 * node = cs-1                      # this server's name in job leases (default: the host name)
 * backup.every = 3600              # seconds between scheduled backups into DATA/backups (0: none)
 * backup.keep = 24                 # how many scheduled backups to keep
 * </pre>
 *
 * Command-line options override the file; an unknown key or a bad value fails the start, naming
 * the key.
 */
public record ServerConfig(Path data, String bind, int port, Optional<String> databaseUrl, String site, String node,
                           long backupEverySeconds, int backupKeep) {
    public static final Path DEFAULT_DATA = Path.of("data");
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_SITE = "primary";
    public static final long DEFAULT_BACKUP_EVERY_SECONDS = 3600;
    public static final int DEFAULT_BACKUP_KEEP = 24;
    private static final Set<String> KEYS = Set.of("data", "bind", "port", "database.url", "site", "node", "backup.every", "backup.keep");

    public ServerConfig {
        requireNonNull(data, "data is null");
        requireNonNull(bind, "bind is null");
        requireNonNull(databaseUrl, "databaseUrl is null");
        requireNonNull(site, "site is null");
        requireNonNull(node, "node is null");
        if (backupEverySeconds < 0 || backupKeep < 1) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE,
                    "backup.every must be 0 or more seconds and backup.keep at least 1 (got " + backupEverySeconds + ", " + backupKeep + ")",
                    "write e.g. backup.every = 3600 and backup.keep = 24; backup.every = 0 turns scheduled backups off");
        }
        if (site.isBlank() || node.isBlank()) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "site and node must not be empty", "name them, or leave them out for the defaults");
        }
        if (port < 0 || port > 65535) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "port " + port + " is out of range", "use 0..65535 (0 picks a free port)");
        }
        if (bind.isBlank()) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "bind is empty", "use an address such as 127.0.0.1 or 0.0.0.0");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_DATA, DEFAULT_BIND, DEFAULT_PORT, Optional.empty(), DEFAULT_SITE, defaultNode(),
                DEFAULT_BACKUP_EVERY_SECONDS, DEFAULT_BACKUP_KEEP);
    }

    /** The host name, so that a restarted server takes its own job leases back at once. */
    static String defaultNode() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "boomerang";
        }
    }


    /** Reads {@code file} over the defaults. */
    public static ServerConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_UNREADABLE, "cannot read the config file " + file + ": " + e.getMessage(),
                    "check the path, or start without --config to use the defaults", e);
        }
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new BoomerangException(ConfigError.CONFIG_UNKNOWN_KEY, "unknown key(s) in " + file + ": " + String.join(", ", unknown),
                    "the keys are " + String.join(", ", new TreeSet<>(KEYS)));
        }
        ServerConfig d = defaults();
        int portValue = (int) number(p, "port", d.port(), file);
        long every = number(p, "backup.every", d.backupEverySeconds(), file);
        int keep = (int) number(p, "backup.keep", d.backupKeep(), file);
        String url = p.getProperty("database.url");
        return new ServerConfig(
                p.getProperty("data") == null ? d.data() : Path.of(p.getProperty("data").trim()),
                p.getProperty("bind", d.bind()).trim(),
                portValue,
                url == null || url.isBlank() ? Optional.empty() : Optional.of(url.trim()),
                p.getProperty("site", d.site()).trim(),
                p.getProperty("node", d.node()).trim(),
                every, keep);
    }

    private static long number(Properties p, String key, long fallback, Path file) {
        String text = p.getProperty(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, key + " in " + file + " is not a number: '" + text + "'",
                    "write a whole number, e.g. " + key + " = " + fallback);
        }
    }

    public ServerConfig withData(Path value) {
        return new ServerConfig(value, bind, port, databaseUrl, site, node, backupEverySeconds, backupKeep);
    }

    public ServerConfig withBind(String value) {
        return new ServerConfig(data, value, port, databaseUrl, site, node, backupEverySeconds, backupKeep);
    }

    public ServerConfig withDatabaseUrl(String value) {
        return new ServerConfig(data, bind, port, Optional.of(value), site, node, backupEverySeconds, backupKeep);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(data, bind, value, databaseUrl, site, node, backupEverySeconds, backupKeep);
    }
}
