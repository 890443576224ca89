package org.boomerang.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.boomerang.cli.OutputFormat;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Clock;
import org.boomerang.common.SyncMode;
import org.boomerang.dataplane.digests.RemoteBlockDigester;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.server.wiring.DiskLocation;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.TlsFiles;
import org.boomerang.sync.BlockDigester;
import org.boomerang.sync.SyncDisk;
import org.boomerang.sync.SyncEngine;
import org.boomerang.sync.SyncError;
import org.boomerang.sync.SyncException;
import org.boomerang.sync.SyncOptions;
import org.boomerang.sync.SyncReport;
import org.boomerang.sync.SyncRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang sync}: resynchronises two disks and prints the sync report (SPEC §2.4, §6).
 * Verify exits non-zero (CORRUPTION, 7) when it finds a difference, after printing the report.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Brings the target disk up to date with the source and reports bytes read, bytes sent and blocks changed.",
            "Disks: image files (path or file:///path) or nbd://host:port/export.",
            "  full     every non-zero block; holes stay holes; creates a missing file",
            "  delta    both sides digest (XXH3-128); only differing blocks are sent",
            "  tracked  only the blocks in the --changes maps; refused if not trusted",
            "  verify   compares every block, lists differences, exits 7 if any",
            "Delta and verify read both disks here unless --source-digests/--target-digests name the role (agent,",
            "master target) that digests that disk next to it; then only digests and the differing blocks cross the wire.",
        })
public final class SyncCommand implements Callable<Integer> {
    /** How the report is printed. */
    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "URI", description = "the disk whose data is right")
    String source;

    @Option(names = "--target", required = true, paramLabel = "URI", description = "the disk to bring up to date")
    String target;

    @Option(names = "--mode", required = true, paramLabel = "MODE", description = "full, delta, tracked or verify")
    SyncMode mode;

    @Option(names = "--changes", arity = "1..*", paramLabel = "MAPFILE",
            description = "tracked mode: change maps whose union is sent (e.g. from 'boomerang journal changes')")
    List<Path> changes = new ArrayList<>();

    @Option(names = "--generation", paramLabel = "UUID",
            description = "tracked mode: the generation id every change map must carry")
    UUID generation;

    @Option(names = "--block-size", paramLabel = "SIZE", defaultValue = "64K",
            description = "block of digest compare and transfer (default: ${DEFAULT-VALUE})")
    String blockSize;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: two per core)")
    Integer threads;

    @Option(names = "--source-digests", paramLabel = "HOST:PORT[/DISK]",
            description = "delta/verify: the source's digests from the role serving that disk (agent 'digests' address,"
                    + " master target 'listen'); DISK defaults to the source's NBD export name")
    String sourceDigests;

    @Option(names = "--target-digests", paramLabel = "HOST:PORT[/DISK]",
            description = "delta/verify: the target's digests from the role serving that disk, as --source-digests")
    String targetDigests;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "with --*-digests: the directory of 'boomerang certs init' the roles use (default: certs)")
    Path tlsDir;

    @Option(names = "--tls-role", paramLabel = "NAME", defaultValue = "agent",
            description = "with --*-digests: whose certificate in --tls-dir this command presents (default: ${DEFAULT-VALUE})")
    String tlsRole;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class, description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Override
    public Integer call() throws IOException {
        SyncOptions options = options();
        if (mode != SyncMode.TRACKED && (!changes.isEmpty() || generation != null)) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "--changes and --generation apply to --mode tracked only",
                    "drop them, or use --mode tracked");
        }
        boolean remote = sourceDigests != null || targetDigests != null;
        if (remote && mode != SyncMode.DELTA && mode != SyncMode.VERIFY) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "--source-digests and --target-digests apply to --mode delta and verify only",
                    "drop them, or use --mode delta or verify");
        }
        if (!remote && (tlsDir != null)) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "--tls-dir applies with --source-digests or --target-digests only",
                    "drop it, or name a digest server");
        }
        DiskLocation sourceLocation = new DiskLocation(source);
        DiskLocation targetLocation = new DiskLocation(target);
        SyncReport report;
        StreamTls tls = remote ? StreamTls.load(TlsFiles.inDirectory(tlsDir == null ? Path.of("certs") : tlsDir, tlsRole)) : null;
        try (SyncDisk s = sourceLocation.open(false, 0)) {
            long create = mode == SyncMode.FULL ? s.device().size() : 0;
            try (SyncDisk t = targetLocation.open(mode.writesTarget(), create);
                 SyncEngine engine = new SyncEngine(options, Clock.SYSTEM);
                 Remote sd = Remote.connect("--source-digests", sourceDigests, source, tls, options.blockSize());
                 Remote td = Remote.connect("--target-digests", targetDigests, target, tls, options.blockSize())) {
                report = engine.run(new SyncRequest(mode, s, t, changes, Optional.ofNullable(generation)), sd.digester(), td.digester());
            }
        } catch (IOException e) {
            throw new SyncException(SyncError.SYNC_IO_FAILED, "sync " + mode.cliName() + " from " + source + " to " + target
                    + " failed: " + e, "check both disks (space, permissions, the NBD server) and run it again; "
                    + "the target may be partly updated, which a later delta sync repairs", e);
        }
        switch (output) {
            case TEXT -> spec.commandLine().getOut().print(report.toText());
            case JSON -> spec.commandLine().getOut().println(report.toJson());
        }
        spec.commandLine().getOut().flush();
        if (!report.identical()) {
            throw new SyncException(SyncError.SYNC_VERIFY_FOUND_DIFFERENCES, "the disks differ in "
                    + report.differingRanges().size() + " ranges (" + ByteSize.format(report.differingBytes()) + ")",
                    "run 'boomerang sync --mode delta' with the same --source and --target to repair the target");
        }
        return 0;
    }

    /** One side's digest server, when named: {@code HOST:PORT[/DISK]}, the disk defaulting to the side's NBD export name. */
    private record Remote(Optional<BlockDigester> digester) implements AutoCloseable {
        static Remote connect(String option, String address, String uri, StreamTls tls, int blockSize) {
            if (address == null) {
                return new Remote(Optional.empty());
            }
            int slash = address.indexOf('/');
            String hostPort = slash < 0 ? address : address.substring(0, slash);
            String disk = slash < 0 ? (NbdUri.isNbd(uri) ? NbdUri.parse(uri).exportName() : "") : address.substring(slash + 1);
            int colon = hostPort.lastIndexOf(':');
            int port = -1;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new SyncException(SyncError.SYNC_BAD_OPTION, option + " '" + address + "' is not HOST:PORT[/DISK]",
                        "write e.g. " + option + " 127.0.0.1:7003");
            }
            if (disk.isEmpty()) {
                throw new SyncException(SyncError.SYNC_BAD_OPTION, option + " '" + address + "' names no disk and " + uri
                        + " is not an nbd:// export whose name could be used", "write " + option + " " + hostPort + "/DISK");
            }
            return new Remote(Optional.of(RemoteBlockDigester.connect(hostPort.substring(0, colon), port, tls, disk, blockSize)));
        }

        @Override
        public void close() throws IOException {
            if (digester.isPresent()) {
                digester.get().close();
            }
        }
    }

    private SyncOptions options() {
        long bs;
        try {
            bs = ByteSize.parse(blockSize);
        } catch (IllegalArgumentException e) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, e.getMessage(), "write e.g. --block-size 64K");
        }
        if (bs > Integer.MAX_VALUE / 2) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "block size too large: " + blockSize, "use at most 64M");
        }
        SyncOptions base = SyncOptions.withBlockSize((int) bs);
        return threads == null ? base
                : new SyncOptions(base.blockSize(), base.regionSize(), base.chunkSize(), threads, base.compressionLevel());
    }
}
