package org.boomerang.dataplane.agent;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.boomerang.common.DiskId;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.roles.ConfigNode;
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

    public static AgentConfig read(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("name", "nbd", "process-server", "state", "disks", "marker-every", "capture", "tls", "metrics", "digests");
        ConfigNode nbd = root.object("nbd", "{listen: 127.0.0.1:10809}");
        nbd.allowOnly("listen");
        List<Disk> disks = new ArrayList<>();
        HashSet<String> ids = new HashSet<>();
        String example = "disks: [{id: disk0, image: data/agent/disk0.img, size: 64MiB}]";
        for (ConfigNode d : root.objects("disks", example)) {
            d.allowOnly("id", "image", "size");
            String id = d.string("id", "disk0");
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                throw d.bad(d.key("id"), "'" + id + "' is not a disk id", "use letters, digits, '.', '_' and '-' (it names files and an NBD export)");
            }
            if (!ids.add(id)) {
                throw d.bad(d.key("id"), "'" + id + "' is given twice", "give each disk its own id");
            }
            disks.add(new Disk(new DiskId(id), d.path("image", "data/agent/" + id + ".img"), d.has("size") ? d.size("size", "64MiB", "64MiB") : 0));
        }
        if (disks.isEmpty()) {
            throw root.bad("disks", "is missing or empty", "add e.g. " + example);
        }
        Duration markerEvery = null;
        if (root.has("marker-every") && !root.string("marker-every", "1s").equals("never")) {
            markerEvery = root.duration("marker-every", "1s");
            if (markerEvery.toMillis() < 1) {
                throw root.bad("marker-every", "must be at least 1ms", "write e.g. marker-every: 200ms, or never");
            }
        }
        CaptureOptions capture = CaptureOptions.defaults();
        if (root.has("capture")) {
            ConfigNode c = root.object("capture", "{queue-size: 64MiB, extent-size: 1MiB, max-guest-block: 2s, synchronous: false}");
            c.allowOnly("queue-size", "extent-size", "max-guest-block", "synchronous");
            try {
                capture = new CaptureOptions(c.size("queue-size", "64MiB", "64MiB"), (int) Math.min(Integer.MAX_VALUE,
                        c.size("extent-size", "1MiB", "1MiB")), c.duration("max-guest-block", "2s"), c.bool("synchronous", false),
                        CaptureOptions.DEFAULT_MAX_SCAN_PASSES, CaptureOptions.DEFAULT_FINAL_PASS_BYTES, CaptureOptions.DEFAULT_CLEAN_INTERVAL);
            } catch (RuntimeException e) {
                throw c.bad("capture", "is not valid: " + e.getMessage(), "see docs/configuration.md for the ranges");
            }
        }
        return new AgentConfig(root.string("name", CertificateAuthority.AGENT, "agent"), nbd.endpoint("listen", "127.0.0.1:10809"),
                root.endpoint("process-server", "127.0.0.1:7001"), root.path("state", "data/agent/state"), disks, markerEvery, capture,
                TlsConfig.read(root, CertificateAuthority.AGENT), root.has("metrics") ? root.endpoint("metrics", "127.0.0.1:9100") : null,
                root.has("digests") ? root.endpoint("digests", "127.0.0.1:7003") : null);
    }
}
