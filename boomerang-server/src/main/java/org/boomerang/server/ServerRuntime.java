package org.boomerang.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.api.ApiServer;
import org.boomerang.api.ApiServerConfig;
import org.boomerang.api.ErrorDetails;
import org.boomerang.api.HealthProbe;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Health;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.PrivateFiles;
import org.boomerang.common.config.ConfigError;
import org.boomerang.server.config.ServerConfig;
import org.boomerang.server.cli.VersionProvider;
import org.boomerang.server.wiring.ConfiguredSiteProviders;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.site.EmbeddedDataPlane;
import org.boomerang.dataplane.site.RoleHosting;
import org.boomerang.dataplane.site.SiteError;
import org.boomerang.server.wiring.EmbeddedDataPlaneSeam;
import org.boomerang.server.wiring.AgentHeartbeats;
import org.boomerang.server.wiring.ServingSiteProvider;
import org.boomerang.api.control.ControlRoutes;
import org.boomerang.control.ControlServer;
import org.boomerang.control.ControlServerConfig;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.server.config.SiteConfig;
import org.boomerang.common.AtomicFile;
import org.boomerang.api.dto.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.boomerang.provider.SiteId;
import org.boomerang.store.jdbc.BackupScheduler;
import org.boomerang.store.jdbc.DatabaseConfig;
import org.boomerang.server.wiring.BackupRoutes;
import org.boomerang.server.wiring.ControlMetrics;
import org.boomerang.store.jdbc.JdbcControlStore;
import org.boomerang.portal.Portal;
import org.boomerang.portal.PortalConfig;

/**
 * The control server as one running thing: the data folder, the control database (SQLite in the
 * data folder unless a database URL is configured), the control server's facades and job runner,
 * the API tokens, scheduled backups of the database into {@code <data>/backups} (FB-13), the
 * metrics registry, and the REST API with the route groups of every area and the portal at {@code /}
 * on the same port.
 * Site providers come from the config's {@code sites:} entries ({@link ConfiguredSiteProviders});
 * the data plane is every role of those sites embedded in this process ({@link EmbeddedDataPlane}):
 * each site's running machines have their disks served over NBD ({@link ServingSiteProvider}), and the
 * control server drives replication, failover views and syncs through {@link EmbeddedDataPlaneSeam}.
 * Each site's process server is registered in the inventory as {@code ps-<site>}. The agents of the
 * sites' running machines send heartbeats every poll ({@link AgentHeartbeats}); an item whose source
 * agent goes quiet for {@link ControlServerConfig#DEFAULT_AGENT_SILENCE} is alerted.
 * The data folder is locked ({@link DataFolderLock}) for as long as the runtime runs, and created
 * 0700. With the default SQLite database the folder lock makes this server the database's only
 * user, so it takes over every job lease at start ({@link ControlServerConfig#exclusive()}); with
 * PostgreSQL a dead server's jobs wait for their lease to expire.
 * {@link #start()} once, {@link #close()} once.
 */
public final class ServerRuntime implements AutoCloseable {
    /** Where {@code write-admin-token: true} puts the first admin token, in the data folder. */
    public static final String ADMIN_TOKEN_FILE = "admin.token";
    /** Where the embedded data plane keeps its certificates, journals, captures and state, in the data folder. */
    public static final String DATA_PLANE_FOLDER = "dataplane";
    private final ServerConfig config;
    private final RoleHosting hosting;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ApiServer api;
    private JdbcControlStore store;
    private ControlServer control;
    private EmbeddedDataPlane dataPlane;
    private BackupScheduler backups;
    private AgentHeartbeats heartbeats;
    private DataFolderLock lock;
    private final String owner;

    public ServerRuntime(ServerConfig config) {
        this(config, new RoleHosting.InProcess());
    }

    /** A runtime whose data plane runs each site's master target and process server where {@code hosting} says. */
    public ServerRuntime(ServerConfig config, RoleHosting hosting) {
        this.config = requireNonNull(config, "config is null");
        this.hosting = requireNonNull(hosting, "hosting is null");
        this.owner = leaseOwner(config.node());
    }

    /**
     * Child processes that run the roles with this JVM's {@code java}, class path and {@link Main}: the
     * same build, started as {@code boomerang master-target|process-server --config FILE}.
     */
    public static RoleHosting.ChildProcesses childRoles() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new RoleHosting.ChildProcesses(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-Xlog:aot*=off", "-Xlog:cds*=off",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }

    /** The data plane, once started. */
    public EmbeddedDataPlane dataPlane() {
        return dataPlane;
    }

    /**
     * This process's name in job leases: the configured node name, the process id and a random
     * part, so that two servers never share one name, even on one host with one configured name.
     */
    static String leaseOwner(String node) {
        return node + "/" + ProcessHandle.current().pid() + "-" + java.util.HexFormat.of().toHexDigits(new java.security.SecureRandom().nextInt());
    }

    /** This server's name in job leases ({@link #leaseOwner}). */
    public String owner() {
        return owner;
    }

    /**
     * Locks the data folder, opens the database, starts the jobs and the API. On any failure what
     * was started is stopped again and the error is thrown.
     */
    public ServerRuntime start() {
        try {
            return startAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ServerRuntime startAll() {
        try {
            if (!Files.isDirectory(config.data())) {
                PrivateFiles.directory(config.data());
            }
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "cannot create the data folder " + config.data() + ": " + e.getMessage(),
                    "choose a writable folder with --data", e);
        }
        lock = DataFolderLock.acquire(config.data(), owner);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        TokenStore tokens = new TokenStore(new TokenFile(config.data()), Clock.SYSTEM);
        int port = config.port() == 0 ? freePort(config.bind()) : config.port();
        DatabaseConfig db = config.database().url().map(DatabaseConfig::url).orElseGet(() -> DatabaseConfig.forDataDir(config.data()));
        store = JdbcControlStore.open(db);
        SiteProviders configured = ConfiguredSiteProviders.open(config.sites(), config.data(), config.configFolder(), Clock.SYSTEM);
        dataPlane = startDataPlane();
        java.util.Map<SiteId, ServingSiteProvider> serving = new java.util.LinkedHashMap<>();
        for (SiteConfig s : config.sites()) {
            SiteId id = new SiteId(s.id());
            serving.put(id, new ServingSiteProvider(configured.of(id), dataPlane).serveRunning());
        }
        SiteProviders providers = site -> serving.containsKey(site) ? serving.get(site) : configured.of(site);
        control = new ControlServer(store, providers, new EmbeddedDataPlaneSeam(dataPlane, providers), Clock.SYSTEM,
                ControlServerConfig.defaults(owner, config.bind() + ":" + port, new SiteId(config.site()))
                        .withExclusive(config.database().url().isEmpty()));
        control.start();
        for (SiteConfig s : config.sites()) {
            control.inventory().addSite(new Site(new SiteId(s.id()), s.role(), s.provider()));
            control.inventory().registerProcessServer(new org.boomerang.control.inventory.ProcessServer(processServerId(s.id()),
                    new SiteId(s.id()), dataPlane.processServerAddress(s.id())));
        }
        heartbeats = new AgentHeartbeats(List.copyOf(serving.values()), control.inventory()).start(ControlServerConfig.DEFAULT_POLL);
        if (config.writeAdminToken() && tokens.list().isEmpty()) {
            writeAdminToken(tokens);
        }
        backups = new BackupScheduler(store.database(), config.data().resolve("backups"), config.backup().keep(), Clock.SYSTEM,
                java.util.Optional.of(config.data().resolve(TokenFile.FILE_NAME)));
        if (!config.backup().every().isZero()) {
            backups.start(config.backup().every());
        }
        ControlMetrics metrics = new ControlMetrics(store, backups, Clock.SYSTEM);
        metrics.bindTo(registry);
        control.protection().onHealthMeasured(metrics::rpo);
        List<RouteGroup> groups = new ArrayList<>(ControlRoutes.of(control));
        groups.add(new BackupRoutes(backups));
        List<HealthProbe> probes = new ArrayList<>();
        probes.add(() -> new Health.HealthCheck("data-folder", Files.isWritable(config.data()) ? "UP" : "DOWN", config.data().toString()));
        probes.add(() -> {
            try {
                store.inventory().sites();
                return new Health.HealthCheck("database", "UP", db.describe());
            } catch (BoomerangException e) {
                return new Health.HealthCheck("database", "DOWN", e.getMessage());
            }
        });
        Portal portal = new Portal(control, tokens, Clock.SYSTEM, PortalConfig.defaults());
        api = new ApiServer(new ApiServerConfig(groups, tokens, registry, probes, ErrorDetails.NONE, VersionProvider.version(),
                List.of(portal), config.api().maxBodyBytes())).start(config.bind(), port);
        return this;
    }

    /**
     * The data plane the control server drives: every role of every configured site embedded in this
     * process ({@link EmbeddedDataPlane}), on loopback with mutual TLS, its state under
     * {@code <data>/dataplane}.
     */
    private EmbeddedDataPlane startDataPlane() {
        List<String> sites = config.sites().stream().map(SiteConfig::id).toList();
        try {
            return EmbeddedDataPlane.start(config.data().resolve(DATA_PLANE_FOLDER), sites, CaptureOptions.defaults(), hosting);
        } catch (IOException e) {
            throw new BoomerangException(SiteError.IO_FAILED, "cannot start the data plane under " + config.data().resolve(DATA_PLANE_FOLDER)
                    + ": " + e.getMessage(), "check the data folder's free space and permissions", e);
        }
    }

    /** The id under which the embedded process server of a site is registered in the inventory. */
    public static String processServerId(String site) {
        return "ps-" + site;
    }

    /**
     * First start with {@code write-admin-token: true}: an admin token, its secret written to
     * {@code <data>/admin.token} (owner-only, temp file + fsync + rename) for the CLI
     * ({@code BOOMERANG_TOKEN=$(cat DATA/admin.token)}).
     */
    private void writeAdminToken(TokenStore tokens) {
        Path file = config.data().resolve(ADMIN_TOKEN_FILE);
        TokenStore.Created created = tokens.create(Role.ADMIN, "admin (" + file.getFileName() + ")");
        try {
            AtomicFile.write(file, PosixFilePermissions.fromString("rw-------"),
                    out -> out.write((created.token().text() + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "cannot write the admin token to " + file + ": " + e.getMessage(),
                    "make the data folder writable, or revoke the token and create one with 'boomerang server token create'", e);
        }
    }

    /**
     * A free port for {@code --port 0}, chosen before the control server starts so that the
     * address in its identity (FB-13) is the one it really serves on.
     */
    private static int freePort(String bind) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "cannot find a free port on " + bind + ": " + e.getMessage(),
                    "name a port with --port", e);
        }
    }

    public int port() {
        return api.port();
    }

    public boolean hasTokens() {
        return !new TokenStore(new TokenFile(config.data()), Clock.SYSTEM).list().isEmpty();
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
            api = null;
        }
        if (backups != null) {
            backups.close();
            backups = null;
        }
        if (heartbeats != null) {
            heartbeats.close();
            heartbeats = null;
        }
        if (control != null) {
            control.close();
            control = null;
        }
        if (dataPlane != null) {
            dataPlane.close();
            dataPlane = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
        registry.close();
    }
}
