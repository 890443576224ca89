package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.common.ByteSize;
import org.boomerang.common.config.ByteSizeDeserializer;
import org.boomerang.common.config.ConfigReader;
import org.boomerang.common.config.InvalidConfigValue;
import org.boomerang.dataplane.roles.Endpoint;
import org.boomerang.dataplane.roles.TlsConfig;
import org.boomerang.journal.JournalOptions;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.stream.TlsFiles;

/**
 * The master target's config (docs/configuration.md): where it listens for streams, its data directory
 * (journals at {@code <data>/journals/<diskId>}), its TLS files, its metrics endpoint (null: none) and
 * the journal's segment size.
 */
public record MasterTargetConfig(String name, Endpoint listen, Path data, TlsFiles tls, Endpoint metrics, long segmentBytes) {
    public MasterTargetConfig {
        requireNonNull(name, "name is null");
        requireNonNull(listen, "listen is null");
        requireNonNull(data, "data is null");
        requireNonNull(tls, "tls is null");
    }

    /**
     * The keys of {@code master-target.yaml} as written, read by {@link ConfigReader} over {@link #DEFAULTS}
     * (null there: a key the file must give). Relative paths are resolved by {@link #read}.
     */
    record Keys(String name, Endpoint listen, Path data, TlsConfig tls, Optional<Endpoint> metrics, Journal journal) {
        static final Keys DEFAULTS = new Keys(CertificateAuthority.MASTER_TARGET, null, null, null, Optional.empty(),
                new Journal(JournalOptions.DEFAULT_SEGMENT_BYTES));

        Keys {
            if (name != null && name.isBlank()) {
                throw new InvalidConfigValue("name", name, "is empty", "name: " + CertificateAuthority.MASTER_TARGET);
            }
        }
    }

    /** {@code journal: {segment-size}}: a segment rolls at this size. */
    record Journal(@JsonDeserialize(using = ByteSizeDeserializer.class) long segmentSize) {
        Journal {
            try {
                JournalOptions.defaults().withSegmentBytes(segmentSize);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigValue("segment-size", ByteSize.format(segmentSize), "is out of range 64KiB .. 1GiB", "segment-size: 64MiB");
            }
        }
    }

    /** Reads {@code file} (YAML, or JSON); relative paths are relative to the file's folder. */
    public static MasterTargetConfig read(Path file) {
        Keys k = ConfigReader.read(file, Keys.class, Keys.DEFAULTS);
        Path folder = file.toAbsolutePath().getParent();
        return new MasterTargetConfig(k.name(), k.listen(), folder.resolve(k.data()).normalize(), k.tls().files(folder),
                k.metrics().orElse(null), k.journal().segmentSize());
    }

    /** The journal directory of a disk. */
    public Path journalDirectory(String diskId) {
        return data.resolve("journals").resolve(diskId);
    }
}
