package org.boomerang.dataplane.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.ByteSize;
import org.boomerang.common.DiskId;
import org.boomerang.common.Durations;
import org.boomerang.common.config.ByteSizeDeserializer;
import org.boomerang.common.config.ConfigReader;
import org.boomerang.common.config.InvalidConfigValue;
import org.boomerang.dataplane.capture.CaptureException;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.roles.Endpoint;
import org.boomerang.dataplane.roles.TlsConfig;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.TlsFiles;

/**
 * The agent's config (docs/configuration.md): the protected disks (image file, size when it must be
 * created), where NBD listens, the process server to stream to, the capture state directory, the
 * crash-consistent marker policy, the capture's options, TLS, metrics and the digest server's address.
 *
 * @param markerEvery a crash-consistent marker this often (down to 1 ms), or null for none
 * @param digests     where the agent serves its disks' block digests over mutual TLS ({@code digests.proto}), or null for nowhere
 */
public record AgentConfig(String name, Endpoint nbd, Endpoint processServer, Path state, List<Disk> disks, Duration markerEvery,
        CaptureOptions capture, TlsFiles tls, Endpoint metrics, Endpoint digests) {
    public AgentConfig {
        requireNonNull(name, "name is null");
        requireNonNull(nbd, "nbd is null");
        requireNonNull(processServer, "processServer is null");
        requireNonNull(state, "state is null");
        disks = List.copyOf(disks);
        requireNonNull(capture, "capture is null");
        requireNonNull(tls, "tls is null");
    }

    /** A config without a digest server. */
    public AgentConfig(String name, Endpoint nbd, Endpoint processServer, Path state, List<Disk> disks, Duration markerEvery,
            CaptureOptions capture, TlsFiles tls, Endpoint metrics) {
        this(name, nbd, processServer, state, disks, markerEvery, capture, tls, metrics, null);
    }

    /** A protected disk: its id (also the NBD export name), its image, and the size to create it with when absent. */
    public record Disk(DiskId id, Path image, long size) {
        public Disk {
            requireNonNull(id, "id is null");
            requireNonNull(image, "image is null");
        }
    }

    /**
     * The keys of {@code agent.yaml} as written, read by {@link ConfigReader} over {@link #DEFAULTS}
     * (null there: a key the file must give). Relative paths are resolved by {@link #read}.
     *
     * @param markerEvery a duration of at least 1ms, or {@code never}; none when absent
     */
    record Keys(String name, Nbd nbd, Endpoint processServer, Path state, List<DiskKeys> disks, Optional<String> markerEvery,
            Capture capture, TlsConfig tls, Optional<Endpoint> metrics, Optional<Endpoint> digests) {
        static final String DISKS_EXAMPLE = "disks: [{id: disk0, image: data/agent/disk0.img, size: 64MiB}]";
        static final Keys DEFAULTS = new Keys(CertificateAuthority.AGENT, null, null, null, null, Optional.empty(), Capture.DEFAULTS,
                null, Optional.empty(), Optional.empty());

        Keys {
            if (name != null && name.isBlank()) {
                throw new InvalidConfigValue("name", name, "is empty", "name: " + CertificateAuthority.AGENT);
            }
            if (disks != null) {
                if (disks.isEmpty()) {
                    throw new InvalidConfigValue("disks", "[]", "is empty", DISKS_EXAMPLE);
                }
                Set<String> ids = new HashSet<>();
                for (DiskKeys d : disks) {
                    if (!ids.add(d.id())) {
                        throw new InvalidConfigValue("disks", d.id(), "gives a disk id twice", "give each disk its own id");
                    }
                }
                disks = List.copyOf(disks);
            }
            requireNonNull(markerEvery, "markerEvery is null");
            markerEvery.ifPresent(Keys::markerInterval);
        }

        /** {@code marker-every} as a duration, or null for {@code never} or absent. */
        Duration markerInterval() {
            return markerEvery.map(Keys::markerInterval).orElse(null);
        }

        private static Duration markerInterval(String text) {
            if (text.equals("never")) {
                return null;
            }
            Duration every;
            try {
                every = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigValue("marker-every", text, "is not a duration (" + Durations.EXAMPLES + ") or never",
                        "marker-every: 200ms");
            }
            if (every.toMillis() < 1) {
                throw new InvalidConfigValue("marker-every", text, "is below 1ms", "marker-every: 200ms, or never");
            }
            return every;
        }
    }

    /** {@code nbd: {listen}}. */
    record Nbd(Endpoint listen) {
        Nbd {
            requireNonNull(listen, "listen is null");
        }
    }

    /** An entry of {@code disks}: the size only creates a missing image. */
    record DiskKeys(String id, Path image, @JsonDeserialize(contentUsing = ByteSizeDeserializer.class) Optional<Long> size) {
        DiskKeys {
            requireNonNull(id, "id is null");
            requireNonNull(image, "image is null");
            requireNonNull(size, "size is null");
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                throw new InvalidConfigValue("id", id, "is not a disk id (it names files and an NBD export)",
                        "id: disk0 (letters, digits, '.', '_' and '-')");
            }
            if (size.isPresent() && size.get() <= 0) {
                throw new InvalidConfigValue("size", size.get(), "is not a positive size", "size: 64MiB");
            }
        }

        Disk disk(Path folder) {
            return new Disk(new DiskId(id), folder.resolve(image).normalize(), size.orElse(0L));
        }
    }

    /**
     * {@code capture: {queue-size, extent-size, max-guest-block, synchronous}}: the capture's options. The
     * ranges are {@link CaptureOptions}' own: each key is checked by setting it alone over the defaults.
     */
    record Capture(@JsonDeserialize(using = ByteSizeDeserializer.class) long queueSize,
            @JsonDeserialize(using = ByteSizeDeserializer.class) long extentSize, Duration maxGuestBlock, boolean synchronous) {
        static final Capture DEFAULTS = new Capture(CaptureOptions.DEFAULT_QUEUE_BYTES, CaptureOptions.DEFAULT_EXTENT_BYTES,
                CaptureOptions.DEFAULT_MAX_GUEST_BLOCK, false);

        Capture {
            requireNonNull(maxGuestBlock, "maxGuestBlock is null");
            CaptureOptions defaults = CaptureOptions.defaults();
            try {
                defaults.withQueueBytes(queueSize);
            } catch (CaptureException e) {
                throw new InvalidConfigValue("queue-size", ByteSize.format(queueSize), "is below 1MiB (one largest write)", "queue-size: 64MiB");
            }
            try {
                defaults.withExtentBytes((int) Math.min(Integer.MAX_VALUE, extentSize));
            } catch (CaptureException e) {
                throw new InvalidConfigValue("extent-size", ByteSize.format(extentSize), "is not a power of two from 4KiB to 64MiB", "extent-size: 1MiB");
            }
            try {
                defaults.withMaxGuestBlock(maxGuestBlock);
            } catch (CaptureException e) {
                throw new InvalidConfigValue("max-guest-block", Durations.format(maxGuestBlock), "is not a positive duration", "max-guest-block: 2s");
            }
        }

        CaptureOptions options() {
            return CaptureOptions.defaults().withQueueBytes(queueSize).withExtentBytes((int) extentSize).withMaxGuestBlock(maxGuestBlock)
                    .withSynchronous(synchronous);
        }
    }

    /** Reads {@code file} (YAML, or JSON); relative paths are relative to the file's folder. */
    public static AgentConfig read(Path file) {
        Keys k = ConfigReader.read(file, Keys.class, Keys.DEFAULTS);
        Path folder = file.toAbsolutePath().getParent();
        return new AgentConfig(k.name(), k.nbd().listen(), k.processServer(), folder.resolve(k.state()).normalize(),
                k.disks().stream().map(d -> d.disk(folder)).toList(), k.markerInterval(), k.capture().options(), k.tls().files(folder),
                k.metrics().orElse(null), k.digests().orElse(null));
    }
}
