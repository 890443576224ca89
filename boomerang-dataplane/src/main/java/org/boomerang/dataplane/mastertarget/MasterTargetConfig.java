package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.boomerang.dataplane.roles.ConfigNode;
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

    public static MasterTargetConfig read(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("name", "listen", "data", "tls", "metrics", "journal");
        long segment = JournalOptions.DEFAULT_SEGMENT_BYTES;
        if (root.has("journal")) {
            ConfigNode j = root.object("journal", "{segment-size: 64MiB}");
            j.allowOnly("segment-size");
            segment = j.size("segment-size", "64MiB", "64MiB");
            try {
                JournalOptions.defaults().withSegmentBytes(segment);
            } catch (IllegalArgumentException e) {
                throw root.bad("journal.segment-size", "is out of range (" + e.getMessage() + ")", "write a size from 64KiB to 1GiB");
            }
        }
        return new MasterTargetConfig(root.string("name", CertificateAuthority.MASTER_TARGET, "master-target"),
                root.endpoint("listen", "127.0.0.1:7002"), root.path("data", "data/master-target"),
                TlsConfig.read(root, CertificateAuthority.MASTER_TARGET),
                root.has("metrics") ? root.endpoint("metrics", "127.0.0.1:9102") : null, segment);
    }

    /** The journal directory of a disk. */
    public Path journalDirectory(String diskId) {
        return data.resolve("journals").resolve(diskId);
    }
}
