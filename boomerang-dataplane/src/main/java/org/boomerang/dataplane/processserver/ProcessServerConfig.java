package org.boomerang.dataplane.processserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.ByteSize;
import org.boomerang.common.config.ByteSizeDeserializer;
import org.boomerang.common.config.ConfigReader;
import org.boomerang.common.config.InvalidConfigValue;
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
    static final long DEFAULT_CACHE_BYTES = 1L << 30;
    static final long MIN_CACHE_BYTES = 4L << 20;
    static final int DEFAULT_LEVEL = 3;

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

    /**
     * The keys of {@code process-server.yaml} as written, read by {@link ConfigReader} over {@link #DEFAULTS}
     * (null there: a key the file must give). Relative paths are resolved by {@link #read}.
     */
    record Keys(String name, Endpoint listen, Cache cache, Compression compression, List<Target> masterTargets, TlsConfig tls,
            Optional<Endpoint> metrics) {
        static final String TARGETS_EXAMPLE = "master-targets: [{address: 127.0.0.1:7002, disks: ['*']}]";
        static final Keys DEFAULTS = new Keys(CertificateAuthority.PROCESS_SERVER, null, new Cache(null, DEFAULT_CACHE_BYTES),
                new Compression(Codec.ZSTD, DEFAULT_LEVEL), null, null, Optional.empty());

        Keys {
            if (name != null && name.isBlank()) {
                throw new InvalidConfigValue("name", name, "is empty", "name: " + CertificateAuthority.PROCESS_SERVER);
            }
            if (masterTargets != null && masterTargets.isEmpty()) {
                throw new InvalidConfigValue("master-targets", "[]", "is empty", TARGETS_EXAMPLE);
            }
            masterTargets = masterTargets == null ? null : List.copyOf(masterTargets);
        }
    }

    /** {@code cache: {dir, max-size}}: the on-disk cache and the most one disk's cache holds. */
    record Cache(Path dir, @JsonDeserialize(using = ByteSizeDeserializer.class) long maxSize) {
        Cache {
            if (maxSize < MIN_CACHE_BYTES) {
                throw new InvalidConfigValue("max-size", ByteSize.format(maxSize), "is below 4MiB", "max-size: 1GiB");
            }
        }
    }

    /** How cached and forwarded writes are compressed. */
    enum Codec { ZSTD, NONE }

    /** {@code compression: {codec, level}}; the level counts only for zstd. */
    record Compression(Codec codec, int level) {
        Compression {
            requireNonNull(codec, "codec is null");
            if (codec == Codec.ZSTD && (level < 1 || level > 19)) {
                throw new InvalidConfigValue("level", level, "is outside zstd's levels 1..19", "level: " + DEFAULT_LEVEL);
            }
        }

        int zstdLevel() {
            return switch (codec) {
                case ZSTD -> level;
                case NONE -> 0;
            };
        }
    }

    /** An entry of {@code master-targets}: a master target and the disks it receives ({@code ['*']} when absent). */
    record Target(Endpoint address, Optional<List<String>> disks) {
        Target {
            requireNonNull(address, "address is null");
            requireNonNull(disks, "disks is null");
            for (String d : disks.orElse(List.of())) {
                if (d == null || d.isBlank()) {
                    throw new InvalidConfigValue("disks", disks.get(), "holds an empty disk id", "disks: ['disk0', 'disk1'] or ['*']");
                }
            }
        }

        Route route() {
            return new Route(address, disks.orElse(List.of("*")));
        }
    }

    /** Reads {@code file} (YAML, or JSON); relative paths are relative to the file's folder. */
    public static ProcessServerConfig read(Path file) {
        Keys k = ConfigReader.read(file, Keys.class, Keys.DEFAULTS);
        Path folder = file.toAbsolutePath().getParent();
        return new ProcessServerConfig(k.name(), k.listen(), folder.resolve(k.cache().dir()).normalize(), k.cache().maxSize(),
                k.compression().zstdLevel(), k.masterTargets().stream().map(Target::route).toList(), k.tls().files(folder),
                k.metrics().orElse(null));
    }
}
