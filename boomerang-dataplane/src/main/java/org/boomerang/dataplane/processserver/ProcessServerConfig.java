package org.boomerang.dataplane.processserver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.dataplane.roles.ConfigNode;
import org.boomerang.dataplane.roles.Endpoint;
import org.boomerang.dataplane.roles.TlsConfig;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.TlsFiles;

/**
 * The process server's config (docs/configuration.md): where agents connect, the on-disk cache, the
 * zstd level of what it forwards, which master target receives which disks, TLS and metrics.
 *
 * @param compressionLevel zstd level 1..19 for writes forwarded uncompressed, 0 for none
 */
public record ProcessServerConfig(String name, Endpoint listen, Path cacheDir, long cacheMaxBytes, int compressionLevel,
        List<Route> masterTargets, TlsFiles tls, Endpoint metrics) {
    public ProcessServerConfig {
        requireNonNull(name, "name is null");
        requireNonNull(listen, "listen is null");
        requireNonNull(cacheDir, "cacheDir is null");
        masterTargets = List.copyOf(masterTargets);
        requireNonNull(tls, "tls is null");
    }

    /** A master target and the disks it receives ({@code *} for any). */
    public record Route(Endpoint address, List<String> disks) {
        public Route {
            requireNonNull(address, "address is null");
            disks = List.copyOf(disks);
        }

        /** A pattern is a disk id, {@code *} for any, or a prefix ending in {@code *} ({@code recovery.*}). */
        boolean serves(String disk) {
            return disks.stream().anyMatch(p -> p.equals(disk) || p.endsWith("*") && disk.startsWith(p.substring(0, p.length() - 1)));
        }
    }

    /** The master target of {@code disk}: the first route that serves it, or null. */
    public Route routeOf(String disk) {
        for (Route r : masterTargets) {
            if (r.serves(disk)) {
                return r;
            }
        }
        return null;
    }

    public static ProcessServerConfig read(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("name", "listen", "cache", "compression", "master-targets", "tls", "metrics");
        ConfigNode cache = root.object("cache", "{dir: data/process-server/cache, max-size: 1GiB}");
        cache.allowOnly("dir", "max-size");
        long max = cache.size("max-size", "1GiB", "1GiB");
        if (max < (4L << 20)) {
            throw cache.bad(cache.key("max-size"), "must be at least 4MiB", "write e.g. max-size: 1GiB");
        }
        int level = 3;
        if (root.has("compression")) {
            ConfigNode c = root.object("compression", "{codec: zstd, level: 3}");
            c.allowOnly("codec", "level");
            String codec = c.choice("codec", "zstd", List.of("zstd", "none"));
            level = codec.equals("none") ? 0 : c.integer("level", 3, 1, 19);
        }
        List<Route> routes = new ArrayList<>();
        for (ConfigNode r : root.objects("master-targets", "master-targets: [{address: 127.0.0.1:7002, disks: ['*']}]")) {
            r.allowOnly("address", "disks");
            routes.add(new Route(r.endpoint("address", "127.0.0.1:7002"), r.strings("disks", List.of("*"), "['disk0', 'disk1'] or ['*']")));
        }
        if (routes.isEmpty()) {
            throw root.bad("master-targets", "is missing or empty", "add e.g. master-targets: [{address: 127.0.0.1:7002, disks: ['*']}]");
        }
        return new ProcessServerConfig(root.string("name", CertificateAuthority.PROCESS_SERVER, "process-server"),
                root.endpoint("listen", "127.0.0.1:7001"), cache.path("dir", "data/process-server/cache"), max, level, routes,
                TlsConfig.read(root, CertificateAuthority.PROCESS_SERVER),
                root.has("metrics") ? root.endpoint("metrics", "127.0.0.1:9101") : null);
    }
}
