package org.boomerang.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.cli.OutputFormat;
import org.boomerang.common.ByteSize;
import org.boomerang.common.DiskId;
import org.boomerang.common.Durations;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.Hydration;
import org.boomerang.journal.InconsistentWindow;
import org.boomerang.journal.Journal;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.JournalingBlockDevice;
import org.boomerang.journal.PointName;
import org.boomerang.journal.RecoveryPoint;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.nbd.server.NbdServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code boomerang journal …}: the replica journal commands of SPEC §6. */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Replica journals: recovery points, point-in-time views over NBD, export, and recording.",
        subcommands = {JournalCommand.Points.class, JournalCommand.Serve.class, JournalCommand.Export.class,
            JournalCommand.Record.class, JournalChangesCommand.class})
public final class JournalCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** How data-printing commands print. */
    /** {@code boomerang journal points DIR [--output table|json]}. */
    @Command(name = "points", mixinStandardHelpOptions = true,
            description = {"List the recovery points of a replica journal.",
                "The base (oldest retained LSN), every retained marker (crash, app or group consistent), the inconsistent windows and the latest LSN.",
                "Any durable LSN in between is a valid point too (lsn:N), except inside a window. Works on a",
                "journal another process is writing: it lists the durable part, read-only."})
    static final class Points implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table", converter = OutputFormat.Converter.class,
                description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (Journal j = Journal.openReadOnly(dir)) {
                PrintWriter out = spec.commandLine().getOut();
                List<RecoveryPoint> points = j.points();
                Lsn latest = latest(j);
                switch (output) {
                    case JSON -> out.println(json(j, points, latest));
                    case TEXT -> {
                        out.printf("journal %s  disk %s  size %s  generation %s%n", dir, j.identity().diskId(),
                                ByteSize.format(j.identity().diskSize()), j.identity().generation());
                        out.printf("%-12s %-6s %-24s %-36s %s%n", "LSN", "KIND", "TIME", "ID", "GROUP/TAG");
                        out.printf("%-12s %-6s %-24s %-36s %s%n", "lsn:" + j.baseLsn().value(), "base", "-", "-", "oldest retained point");
                        for (RecoveryPoint p : points) {
                            String extra = (p.marker().groupId().isEmpty() ? "" : "group=" + p.marker().groupId() + " ")
                                    + p.marker().tag();
                            out.printf("%-12s %-6s %-24s %-36s %s%n", "lsn:" + p.lsn().value(), p.kind().label(),
                                    p.marker().time(), p.id(), extra);
                        }
                        for (InconsistentWindow w : j.windows()) {
                            out.printf("%-12s %-6s %-24s %-36s %s%n", "lsn:" + w.open().value(), "window", "-",
                                    w.isOpen() ? "open" : "to lsn:" + w.close().value(), "no point inside: " + w.reason());
                        }
                        if (latest != null) {
                            out.printf("%-12s %-6s %-24s %-36s %s%n", "lsn:" + latest.value(), "latest", "-", "-",
                                    "newest durable record (crash-consistent)");
                        }
                    }
                }
                out.flush();
            }
            return 0;
        }

        /** The newest durable consistent LSN, or null when every durable LSN is inside an inconsistent window. */
        private static Lsn latest(Journal j) {
            try {
                return j.resolve(PointName.parse("latest"));
            } catch (JournalException e) {
                if (e.code() == JournalError.INCONSISTENT_POINT) {
                    return null;
                }
                throw e;
            }
        }

        private static String json(Journal j, List<RecoveryPoint> points, Lsn latest) {
            StringBuilder b = new StringBuilder();
            b.append("{\"disk\":").append(quote(j.identity().diskId().value()))
                    .append(",\"size\":").append(j.identity().diskSize())
                    .append(",\"generation\":").append(quote(j.identity().generation().toString()))
                    .append(",\"baseLsn\":").append(j.baseLsn().value())
                    .append(",\"latestLsn\":").append(latest == null ? "null" : Long.toString(latest.value()))
                    .append(",\"windows\":[");
            List<InconsistentWindow> windows = j.windows();
            for (int i = 0; i < windows.size(); i++) {
                InconsistentWindow w = windows.get(i);
                b.append(i == 0 ? "" : ",").append("{\"open\":").append(w.open().value())
                        .append(",\"close\":").append(w.isOpen() ? "null" : Long.toString(w.close().value()))
                        .append(",\"reason\":").append(quote(w.reason())).append('}');
            }
            b.append("],\"points\":[");
            for (int i = 0; i < points.size(); i++) {
                RecoveryPoint p = points.get(i);
                b.append(i == 0 ? "" : ",").append("{\"lsn\":").append(p.lsn().value())
                        .append(",\"kind\":").append(quote(p.kind().label()))
                        .append(",\"time\":").append(quote(p.marker().time().toString()))
                        .append(",\"id\":").append(quote(p.id()))
                        .append(",\"group\":").append(quote(p.marker().groupId()))
                        .append(",\"tag\":").append(quote(p.marker().tag())).append('}');
            }
            return b.append("]}").toString();
        }
    }

    /** {@code boomerang journal serve DIR --at POINT [--writable] [--overlay DIR] [--bind ADDR] [--port P]}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Export a point-in-time view of a journal over NBD at once, without copying the disk.",
                "It serves until interrupted. With --writable, writes go to an overlay directory (a failed-over disk),",
                "never to the journal."})
    static final class Serve implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--at", required = true, paramLabel = "POINT",
                description = "latest, latest-processed, latest-app-consistent, a point id, or lsn:N.")
        String at;

        @Option(names = "--writable", description = "Accept writes into an overlay (see --overlay).")
        boolean writable;

        @Option(names = "--overlay", paramLabel = "DIR",
                description = "Overlay directory for --writable (default: DIR/overlays/lsn-N; reopened if it exists).")
        Path overlay;

        @Option(names = "--name", paramLabel = "NAME", description = "Export name (default: the journal's disk id).")
        String name;

        @Mixin
        NbdListenOptions listen;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SegmentedJournal journal = SegmentedJournal.open(dir, JournalOptions.defaults());
            BlockDevice device = null;
            try {
                Lsn lsn = journal.resolve(PointName.parse(at));
                Path overlayDir = overlay != null ? overlay : dir.resolve("overlays").resolve("lsn-" + lsn.value());
                device = writable ? journal.openWritable(lsn, overlayDir) : journal.openView(lsn);
                String export = name != null ? name : journal.identity().diskId().value();
                BlockDevice served = device;
                NbdServer server = listen.serverBuilder()
                        .export(export, served, "journal " + dir.getFileName() + " at lsn:" + lsn.value()
                                + (writable ? " (writable overlay)" : " (read-only)")).build().start();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("serving lsn:%d of %s %s on nbd://%s:%d/%s%n", lsn.value(), dir,
                        writable ? "writable (overlay " + overlayDir + ")" : "read-only",
                        server.address().getAddress().getHostAddress(), server.port(), export);
                out.flush();
                untilStopped(() -> {
                    server.close();
                    served.close();
                    journal.close();
                });
                return 0;
            } catch (Exception e) {
                if (device != null) {
                    device.close();
                }
                journal.close();
                throw e;
            }
        }
    }

    /** {@code boomerang journal export DIR --at POINT --to FILE}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a point-in-time view of a journal to a standalone sparse raw image.")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--at", required = true, paramLabel = "POINT",
                description = "latest, latest-processed, latest-app-consistent, a point id, or lsn:N.")
        String at;

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The image to create (must not exist).")
        Path to;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (java.nio.file.Files.exists(to)) {
                throw new JournalException(JournalError.BAD_REQUEST, to + " already exists",
                        "choose a new file name, or delete it first");
            }
            try (Journal journal = Journal.openReadOnly(dir)) {
                Lsn lsn = journal.resolve(PointName.parse(at));
                long start = System.nanoTime();
                long copied;
                try (var view = journal.openView(lsn)) {
                    copied = Hydration.copy(view, to);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                spec.commandLine().getOut().printf(Locale.ROOT, "exported lsn:%d of %s to %s: %s of data copied in %.2f s%n",
                        lsn.value(), dir, to, ByteSize.format(copied), seconds);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /** {@code boomerang journal record DIR --size SIZE [--port P] [--marker-every DURATION]}. */
    @Command(name = "record", mixinStandardHelpOptions = true,
            description = {"Serve a disk over NBD whose every write is journaled (local continuous data protection).",
                "It protects any NBD-attached disk, and it is the way to build a journal from real clients. Creates the journal",
                "when DIR holds none. Runs until interrupted; then flushes, adds a final crash-consistent marker",
                "and closes the journal."})
    static final class Record implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory (created when absent).")
        Path dir;

        @Option(names = "--size", paramLabel = "SIZE",
                description = "Disk size for a new journal, e.g. 1G (required when DIR holds no journal).")
        String size;

        @Option(names = "--disk-id", paramLabel = "ID", description = "Disk id of a new journal (default: the directory name).")
        String diskId;

        @Option(names = "--marker-every", paramLabel = "DURATION",
                description = "Add a crash-consistent marker this often, e.g. 30s or 5m (default: none).")
        String markerEvery;

        @Option(names = "--retention", paramLabel = "POLICY",
                description = "Run retention with each marker: WINDOW[,AFTER:EVERY...], e.g. 72h,2h:1h,24h:1d (default: keep all).")
        String retention;

        @Option(names = "--name", paramLabel = "NAME", description = "Export name (default: the journal's disk id).")
        String name;

        @Mixin
        NbdListenOptions listen;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Duration every = markerEvery == null ? null : Durations.parse(markerEvery);
            RetentionPolicy policy = retention == null ? null : RetentionPolicy.parse(retention);
            SegmentedJournal journal = openOrCreate();
            ScheduledExecutorService markers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("journal-markers").daemon().factory());
            try {
                JournalingBlockDevice device = new JournalingBlockDevice(journal);
                String export = name != null ? name : journal.identity().diskId().value();
                NbdServer server = listen.serverBuilder()
                        .export(export, device, "journaled disk " + dir.getFileName()).build().start();
                if (every != null) {
                    long ms = Math.max(1, every.toMillis());
                    markers.scheduleAtFixedRate(() -> marker(journal, policy), ms, ms, TimeUnit.MILLISECONDS);
                }
                PrintWriter out = spec.commandLine().getOut();
                out.printf("recording %s (%s, from lsn:%d) on nbd://%s:%d/%s%n", dir,
                        ByteSize.format(journal.identity().diskSize()), journal.lastLsn().value(),
                        server.address().getAddress().getHostAddress(), server.port(), export);
                out.flush();
                untilStopped(() -> {
                    server.close();
                    markers.shutdownNow();
                    device.close();
                    journal.appendMarker(MarkerKind.CRASH, "", "shutdown");
                    journal.close();
                });
                return 0;
            } catch (Exception e) {
                markers.shutdownNow();
                journal.close();
                throw e;
            }
        }

        private SegmentedJournal openOrCreate() throws IOException {
            if (SegmentedJournal.exists(dir)) {
                SegmentedJournal j = SegmentedJournal.open(dir, JournalOptions.defaults());
                if (size != null && ByteSize.parse(size) != j.identity().diskSize()) {
                    long have = j.identity().diskSize();
                    j.close();
                    throw new JournalException(JournalError.IDENTITY_MISMATCH, dir + " records a disk of " + have
                            + " bytes, not " + ByteSize.parse(size), "drop --size to continue this journal, or use a new directory");
                }
                return j;
            }
            if (size == null) {
                throw new JournalException(JournalError.NOT_A_JOURNAL, dir + " holds no journal yet",
                        "give --size SIZE (e.g. --size 1G) to create one");
            }
            String id = diskId != null ? diskId : dir.toAbsolutePath().getFileName().toString();
            return SegmentedJournal.create(dir, JournalIdentity.create(new DiskId(id), ByteSize.parse(size), 512),
                    JournalOptions.defaults());
        }

        private static void marker(Journal journal, RetentionPolicy policy) {
            try {
                journal.appendMarker(MarkerKind.CRASH, "", "");
                journal.sync();
                if (policy != null) {
                    journal.applyRetention(policy);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("adding a marker to {} failed: {}", journal.directory(), e.toString());
            }
        }
    }

    /** A stop action that may fail. */
    @FunctionalInterface
    interface StopAction {
        void run() throws IOException;
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs {@code stop} before it exits. */
    static void untilStopped(StopAction stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } catch (IOException | RuntimeException e) {
                System.err.println("error: stopping cleanly failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "journal-shutdown"));
        stopped.await();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
