package org.boomerang.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.config.ConfigReader;
import org.boomerang.common.config.InvalidConfigValue;

/**
 * How {@code boomerang server} runs, read by {@link ConfigReader}. Every key has a default, so the
 * server starts without a config file: data under {@code ./data}, SQLite in
 * {@code <data>/control.db}, the API on {@code 127.0.0.1:8080}. A config file (YAML or JSON) may set
 * any of:
 *
 * <pre>
 * data: /var/lib/boomerang          # the data folder: database, API tokens, backups
 * bind: 0.0.0.0                     # the address the API listens on
 * port: 8080                        # the API port (0 picks a free one)
 * database:
 *   url: jdbc:postgresql://db:5432/boomerang?user=boomerang   # default: SQLite under data
 * site: primary                     # the site this control server stands at (FB-13)
 * node: cs-1                        # this server's name in job leases (default: the host name)
 * backup:
 *   every: 1h                       # between scheduled backups into DATA/backups (0s: none)
 *   keep: 24                        # how many scheduled backups to keep
 * sites:                            # the sites and their providers ({@link SiteConfig}); default: none
 *   - {id: primary, role: primary, provider: lab, seed: estate/primary.yaml}
 * write-admin-token: true           # on a first start without tokens, write an admin token to DATA/admin.token
 * config-folder: .                  # set by the loader: the config file's folder (site seeds are relative to it)
 * api:
 *   max-body-bytes: 1M              # the largest request body the API reads (larger: 413)
 * </pre>
 *
 * Command-line options override the file; an unknown key or a bad value fails the start, naming
 * the key, the value and what to write instead.
 */
public record ServerConfig(Path data, String bind, int port, Database database, String site, String node, Backup backup,
                           List<SiteConfig> sites, boolean writeAdminToken, Path configFolder, Api api) {
    public static final Path DEFAULT_DATA = Path.of("data");
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_SITE = "primary";
    public static final Duration DEFAULT_BACKUP_EVERY = Duration.ofHours(1);
    public static final int DEFAULT_BACKUP_KEEP = 24;

    /** The control database; without a URL, SQLite in {@code <data>/control.db}. */
    public record Database(Optional<String> url) {
        public static final Database SQLITE = new Database(Optional.empty());

        public Database {
            requireNonNull(url, "url is null");
            url = url.map(String::trim).filter(u -> !u.isEmpty());
        }
    }

    /** Scheduled backups of the control database (FB-13); {@code every} zero turns them off. */
    public record Backup(Duration every, int keep) {
        public Backup {
            requireNonNull(every, "every is null");
            if (keep < 1) {
                throw new InvalidConfigValue("keep", keep, "must be at least 1", "keep: " + DEFAULT_BACKUP_KEEP);
            }
        }
    }

    /** The REST API's limits. */
    public record Api(@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = org.boomerang.common.config.ByteSizeDeserializer.class)
                      long maxBodyBytes) {
        public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
        public static final Api DEFAULTS = new Api(DEFAULT_MAX_BODY_BYTES);

        public Api {
            if (maxBodyBytes < 1024) {
                throw new InvalidConfigValue("max-body-bytes", maxBodyBytes, "is below 1024 bytes", "max-body-bytes: 1M");
            }
        }
    }

    /** As before the API limits were configurable: the default limits. */
    public ServerConfig(Path data, String bind, int port, Database database, String site, String node, Backup backup,
                        List<SiteConfig> sites, boolean writeAdminToken, Path configFolder) {
        this(data, bind, port, database, site, node, backup, sites, writeAdminToken, configFolder, Api.DEFAULTS);
    }

    public ServerConfig {
        requireNonNull(data, "data is null");
        requireNonNull(api, "api is null");
        requireNonNull(bind, "bind is null");
        requireNonNull(database, "database is null");
        requireNonNull(site, "site is null");
        requireNonNull(node, "node is null");
        requireNonNull(backup, "backup is null");
        sites = List.copyOf(requireNonNull(sites, "sites is null"));
        requireNonNull(configFolder, "configFolder is null");
        if (sites.stream().map(SiteConfig::id).distinct().count() != sites.size()) {
            throw new InvalidConfigValue("sites", sites.stream().map(SiteConfig::id).toList(), "names a site twice", "give each site its own id");
        }
        bind = bind.trim();
        site = site.trim();
        node = node.trim();
        if (site.isEmpty()) {
            throw new InvalidConfigValue("site", site, "is empty", "site: " + DEFAULT_SITE + " (or leave it out for the default)");
        }
        if (node.isEmpty()) {
            throw new InvalidConfigValue("node", node, "is empty", "node: cs-1 (or leave it out for the host name)");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidConfigValue("port", port, "is out of range 0..65535", "port: " + DEFAULT_PORT + " (0 picks a free port)");
        }
        if (bind.isEmpty()) {
            throw new InvalidConfigValue("bind", bind, "is empty", "bind: 127.0.0.1 (or 0.0.0.0 for every interface)");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_DATA, DEFAULT_BIND, DEFAULT_PORT, Database.SQLITE, DEFAULT_SITE, defaultNode(),
                new Backup(DEFAULT_BACKUP_EVERY, DEFAULT_BACKUP_KEEP), List.of(), false, Path.of("."), Api.DEFAULTS);
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
        return load(file, Map.of());
    }

    /**
     * Reads {@code file} (the defaults alone when null), then the command-line options: keys as in the
     * file ({@code port}, {@code database.url}) to values; null values are options not given.
     */
    public static ServerConfig load(Path file, Map<String, ?> options) {
        Map<String, Object> all = new java.util.HashMap<>(options);
        if (file != null) {
            Path folder = file.toAbsolutePath().getParent();
            all.put("config-folder", folder == null ? "." : folder.toString());
        }
        return ConfigReader.read(file, ServerConfig.class, defaults(), all);
    }
}
