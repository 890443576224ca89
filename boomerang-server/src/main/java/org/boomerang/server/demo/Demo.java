package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Clock;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.provider.lab.SampleEstate;
import org.boomerang.server.ServerRuntime;
import org.boomerang.server.config.ServerConfig;
import org.boomerang.server.config.SiteConfig;

/**
 * {@code boomerang demo} as one running thing: a demo data folder ({@link DemoFolder}), the sample
 * estate in {@code DATA/estate} ({@link SampleEstate}, seeded on the first run and reused after), the
 * control server on SQLite in the data folder with the lab sites {@code primary} and
 * {@code recovery} over that estate and an admin token in {@code DATA/admin.token}
 * ({@link ServerRuntime}), and, in the background, protection of the sample machines and a guest
 * workload on each powered-on disk ({@link DemoProtection}).
 *
 * <p>{@link #start} once, {@link #close} once (from a shutdown hook: it stops the workloads and the
 * server within a few seconds). Not thread-safe beyond that.
 */
public final class Demo implements AutoCloseable {
    public static final Path DEFAULT_DATA = Path.of("boomerang-demo");
    public static final int DEFAULT_PORT = 8080;
    public static final String BIND = "127.0.0.1";
    /** Where the sample estate lives under the data folder. */
    public static final String ESTATE = "estate";

    /** How the demo runs; {@code diskSize} counts on the first run (and after a reset) only. */
    public record Options(Path data, int port, boolean reset, long diskSize, double writesPerSecond) {
        public Options {
            requireNonNull(data, "data is null");
        }
    }

    private final Options options;
    private final PrintWriter out;
    private ServerRuntime runtime;
    private DemoProtection protection;
    private SampleEstate.Manifest estate;
    private boolean reused;

    private Demo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Prepares the folder and the estate, starts the server and the background protection; prints where everything is. */
    public static Demo start(Options options, PrintWriter out) {
        Demo d = new Demo(requireNonNull(options, "options is null"), requireNonNull(out, "out is null"));
        try {
            d.startAll();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startAll() {
        Path data = options.data().toAbsolutePath().normalize();
        reused = !DemoFolder.prepare(data, options.reset(), "boomerang-demo/" + ProcessHandle.current().pid());
        Path estateFolder = data.resolve(ESTATE);
        reused = reused && SampleEstate.read(estateFolder).isPresent();
        estate = SampleEstate.openOrSeed(estateFolder, options.diskSize(), Clock.SYSTEM);
        runtime = new ServerRuntime(config(data, options.port())).start();
        String base = "http://" + BIND + ":" + runtime.port();
        Path tokenFile = data.resolve(ServerRuntime.ADMIN_TOKEN_FILE);
        String token = readToken(tokenFile);
        printBanner(data, base, tokenFile, token);
        protection = DemoProtection.start(URI.create(base), token, estate, options.writesPerSecond(), out);
    }

    /** The control server's config, built here rather than read from a file: SQLite in the data folder, both lab sites, the admin token. */
    static ServerConfig config(Path data, int port) {
        List<SiteConfig> sites = List.of(
                new SiteConfig(SampleEstate.PRIMARY, SiteRole.PRIMARY, SiteConfig.LAB, Optional.of(Path.of(ESTATE, SampleEstate.PRIMARY)), Optional.empty()),
                new SiteConfig(SampleEstate.RECOVERY, SiteRole.RECOVERY, SiteConfig.LAB, Optional.of(Path.of(ESTATE, SampleEstate.RECOVERY)), Optional.empty()));
        return new ServerConfig(data, BIND, port, ServerConfig.Database.SQLITE, SampleEstate.PRIMARY, node(),
                new ServerConfig.Backup(Duration.ofHours(1), 4), sites, true, data, ServerConfig.Api.DEFAULTS);
    }

    private void printBanner(Path data, String base, Path tokenFile, String token) {
        out.println("Boomerang demo: the control server with the lab sites primary and recovery (data: " + data + ")");
        out.println("Sample estate " + (reused ? "reused" : "created") + ": " + estate.disks().size() + " machines ("
                + String.join(", ", estate.disks().stream().map(SampleEstate.SampleDisk::machine).toList()) + "), disks of "
                + ByteSize.format(estate.diskSizeBytes()) + (estate.filesystems() ? ", ext4 on the Linux disks" : "; " + estate.note()));
        out.println("Portal: " + base + "/ (sign in with the admin token)");
        out.println("API:    " + base + "/api/v1 (OpenAPI: " + base + "/openapi.json)");
        out.println("Admin token: " + token + " (in " + tokenFile + ")");
        out.println("Try next:");
        out.println("  export BOOMERANG_SERVER=" + base + " BOOMERANG_TOKEN=$(cat " + tokenFile + ")");
        out.println("  bin/boomerang items list");
        out.println("  bin/boomerang inventory show primary --output json");
        out.println("  bin/boomerang items failover lin1 --type unplanned --point latest-processed --wait");
        out.flush();
    }

    /** The last line of the banner, printed by the command once Ctrl-C is ready to stop the demo cleanly. */
    public String stopHint() {
        return "Press Ctrl-C to stop; 'bin/boomerang demo --data " + options.data() + "' again reuses this estate, --reset starts over.";
    }

    /** The port the API listens on. */
    public int port() {
        return runtime.port();
    }

    /** True when this run reused an estate seeded before. */
    public boolean reused() {
        return reused;
    }

    public SampleEstate.Manifest estate() {
        return estate;
    }

    /** The background protection and workloads (tests wait on it). */
    public DemoProtection protection() {
        return protection;
    }

    /** Stops the workloads, then the server (its API, jobs and database); idempotent. */
    @Override
    public void close() {
        if (protection != null) {
            protection.close();
            protection = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new BoomerangException(DemoError.DEMO_FOLDER_NOT_DEMO, "the demo's admin token " + file + " cannot be read: " + e.getMessage(),
                    "start over with 'boomerang demo --reset' (the token is written on the first run only)", e);
        }
    }

    private static String node() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "boomerang-demo";
        }
    }
}
