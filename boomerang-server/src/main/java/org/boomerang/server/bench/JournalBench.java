package org.boomerang.server.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.ByteSize;
import org.boomerang.common.DiskId;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.PointInTimeView;
import org.boomerang.journal.PointName;
import org.boomerang.journal.SegmentedJournal;

/**
 * The Boomerang side of {@code bench/journal.sh} (not a test, not part of the CLI). Each mode prints one
 * line {@code RESULT name value unit} for the script to collect.
 *
 * <pre>
 * (ingest and stream first run a half-size warm-up pass in the same JVM, so that JIT warm-up is not measured)
 * ingest DIR DISK_SIZE RECORD_SIZE TOTAL THREADS   new journal; THREADS appenders, each record acknowledged after fsync
 * stream DIR DISK_SIZE RECORD_SIZE TOTAL           new journal; one appender (a change stream) while a second thread
 *                                                  acknowledges durable LSNs in a group-commit loop, as the master target does
 * fill DIR DISK_SIZE RECORDS SPAN                  new journal; RECORDS 4 KiB writes at random offsets below SPAN
 * open DIR POINT                                   time to open the journal and a view at POINT
 * read-view DIR POINT CHUNK                        sequential read of the whole view
 * read-file FILE CHUNK                             the same read of a plain image file
 * scale DIR DISK_SIZE RECORDS APPENDS              new journal of RECORDS 512-byte writes at random 4 KiB-aligned
 *                                                  offsets (sync every 4096); then reopen (time, heap after GC),
 *                                                  view open at latest, 4 KiB reads of the view at written
 *                                                  offsets (latency p50/p99/max), and APPENDS more appends from
 *                                                  one thread while another group-commits: per-append stall
 *                                                  p50/p99/max
 * </pre>
 */
public final class JournalBench {
    private JournalBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ingest" -> {
                warmUp(Path.of(args[1] + ".warm"), () -> ingest(Path.of(args[1] + ".warm"), ByteSize.parse(args[2]),
                        (int) ByteSize.parse(args[3]), ByteSize.parse(args[4]) / 2, Integer.parseInt(args[5])));
                ingest(Path.of(args[1]), ByteSize.parse(args[2]), (int) ByteSize.parse(args[3]), ByteSize.parse(args[4]),
                        Integer.parseInt(args[5]));
            }
            case "stream" -> {
                warmUp(Path.of(args[1] + ".warm"), () -> stream(Path.of(args[1] + ".warm"), ByteSize.parse(args[2]),
                        (int) ByteSize.parse(args[3]), ByteSize.parse(args[4]) / 2));
                stream(Path.of(args[1]), ByteSize.parse(args[2]), (int) ByteSize.parse(args[3]), ByteSize.parse(args[4]));
            }
            case "fill" -> fill(Path.of(args[1]), ByteSize.parse(args[2]), Integer.parseInt(args[3]), ByteSize.parse(args[4]));
            case "open" -> open(Path.of(args[1]), args[2]);
            case "read-view" -> readView(Path.of(args[1]), args[2], (int) ByteSize.parse(args[3]));
            case "read-file" -> readFile(Path.of(args[1]), (int) ByteSize.parse(args[2]));
            case "scale" -> scale(Path.of(args[1]), ByteSize.parse(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Long.parseLong(args[5]) : 0);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** A run that can fail. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    /** Runs a half-size pass first so that the measured pass runs JIT-compiled code; prints nothing. */
    private static void warmUp(Path dir, Run run) throws Exception {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            run.run();
        } finally {
            System.setOut(out);
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    private static void ingest(Path dir, long diskSize, int recordSize, long total, int threads) throws Exception {
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(new DiskId("bench"), diskSize, 512),
                JournalOptions.defaults())) {
            long records = total / recordSize;
            AtomicLong next = new AtomicLong();
            ByteBuffer payload = ByteBuffer.allocateDirect(recordSize);
            byte[] random = new byte[recordSize];
            new Random(1).nextBytes(random);
            payload.put(random).flip();
            List<Thread> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        long i;
                        while ((i = next.getAndIncrement()) < records) {
                            long offset = (i * recordSize) % (diskSize - recordSize + 1) / 512 * 512;
                            Lsn lsn = j.appendWrite(offset, payload.duplicate());
                            j.awaitDurable(lsn);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            result("ingest", records * (double) recordSize / seconds / (1 << 20), "MiB/s");
        }
    }

    private static void stream(Path dir, long diskSize, int recordSize, long total) throws Exception {
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(new DiskId("bench"), diskSize, 512),
                JournalOptions.defaults())) {
            long records = total / recordSize;
            ByteBuffer payload = ByteBuffer.allocateDirect(recordSize);
            byte[] random = new byte[recordSize];
            new Random(1).nextBytes(random);
            payload.put(random).flip();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            long start = System.nanoTime();
            Thread acker = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        Lsn last = j.lastLsn();
                        if (last.compareTo(j.durableLsn()) > 0) {
                            j.awaitDurable(last);
                        } else {
                            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (long i = 0; i < records; i++) {
                long offset = (i * recordSize) % (diskSize - recordSize + 1) / 512 * 512;
                j.appendWrite(offset, payload.duplicate());
            }
            done.set(true);
            acker.join();
            j.sync();
            double seconds = (System.nanoTime() - start) / 1e9;
            result("stream", records * (double) recordSize / seconds / (1 << 20), "MiB/s");
        }
    }

    private static void fill(Path dir, long diskSize, int records, long span) throws IOException {
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(new DiskId("bench"), diskSize, 512),
                JournalOptions.defaults())) {
            Random r = new Random(42);
            ByteBuffer payload = ByteBuffer.allocate(4096);
            for (int i = 0; i < records; i++) {
                r.nextBytes(payload.array());
                long offset = (long) (r.nextDouble() * (span / 4096)) * 4096;
                j.appendWrite(offset, payload.clear());
            }
            j.sync();
        }
    }

    /** Opens journal and view 5 times in one JVM: the first (cold JVM) and the median of the others (warm). */
    private static void open(Path dir, String point) throws IOException {
        int runs = 5;
        double[] journal = new double[runs];
        double[] view = new double[runs];
        int pieces = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (SegmentedJournal j = SegmentedJournal.open(dir, JournalOptions.defaults())) {
                long opened = System.nanoTime();
                try (PointInTimeView v = j.openView(j.resolve(PointName.parse(point)))) {
                    long viewed = System.nanoTime();
                    journal[i] = (opened - start) / 1e6;
                    view[i] = (viewed - opened) / 1e6;
                    pieces = v.mappedPieces();
                }
            }
        }
        result("open-journal-cold", journal[0], "ms");
        result("open-view-cold", view[0], "ms");
        result("open-journal", warmMedian(journal), "ms");
        result("open-view", warmMedian(view), "ms");
        result("view-pieces", pieces, "pieces");
    }

    private static double warmMedian(double[] all) {
        double[] warm = java.util.Arrays.copyOfRange(all, 1, all.length);
        java.util.Arrays.sort(warm);
        return warm[warm.length / 2];
    }

    private static void readView(Path dir, String point, int chunk) throws IOException {
        try (SegmentedJournal j = SegmentedJournal.open(dir, JournalOptions.defaults());
                PointInTimeView v = j.openView(j.resolve(PointName.parse(point)))) {
            readAll(v, chunk);
        }
    }

    private static void readFile(Path file, int chunk) throws IOException {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(file, true)) {
            readAll(d, chunk);
        }
    }

    /** Reads the whole device twice: a warm-up pass (JIT, page cache, first-read checksum checks), then the timed one. */
    private static void readAll(BlockDevice d, int chunk) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(chunk);
        for (long pos = 0; pos < d.size(); pos += chunk) {
            buf.clear().limit((int) Math.min(chunk, d.size() - pos));
            d.read(pos, buf);
        }
        long start = System.nanoTime();
        long checksum = 0;
        for (long pos = 0; pos < d.size(); pos += chunk) {
            buf.clear().limit((int) Math.min(chunk, d.size() - pos));
            d.read(pos, buf);
            checksum += buf.get(0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result("read", d.size() / seconds / (1 << 20), "MiB/s");
        if (checksum == Long.MIN_VALUE) {
            System.out.println("unreachable");
        }
    }

    private static void result(String name, double value, String unit) {
        System.out.println(String.format(Locale.ROOT, "RESULT %s %.3f %s", name, value, unit));
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** How many 4 KiB reads of written blocks the scale mode times on the view at latest. */
    private static final int VIEW_READS = 20_000;

    /** Milliseconds the collectors spent so far (pauses and, for concurrent collectors, cycles). */
    private static long gcMillis() {
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /**
     * The scale run; {@code fillSeconds} > 0 ends the fill early (at a sync) when it has taken that long,
     * so that a loaded machine still finishes: the records actually written are printed.
     */
    private static void scale(Path dir, long diskSize, long wanted, int appends, long fillSeconds) throws Exception {
        long records = wanted;
        JournalOptions options = JournalOptions.defaults();
        Random random = new Random(42);
        long blocks = diskSize / 4096;
        ByteBuffer data = ByteBuffer.allocate(512);
        random.nextBytes(data.array());
        long[] written = new long[VIEW_READS];
        long start = System.nanoTime();
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(new DiskId("scale"), diskSize, 512),
                options)) {
            long fillEnd = fillSeconds > 0 ? start + fillSeconds * 1_000_000_000L : Long.MAX_VALUE;
            for (long i = 1; i <= records; i++) {
                long offset = Math.floorMod(random.nextLong(), blocks) * 4096;
                j.appendWrite(offset, data.clear());
                written[(int) (i % VIEW_READS)] = offset;
                if (i % 4096 == 0) {
                    j.sync();
                    if (i % (1 << 22) == 0) {
                        System.out.printf(Locale.ROOT, "fill: %d records after %.0f s%n", i, (System.nanoTime() - start) / 1e9);
                    }
                    if (System.nanoTime() > fillEnd) {
                        records = i;
                    }
                }
            }
            j.sync();
        }
        double filled = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT records %d of %d wanted (fill %.0f s)%n", records, wanted, filled);
        System.out.printf(Locale.ROOT, "RESULT fill-records-per-s %.0f records/s%n", records / filled);
        long heapBefore = heapAfterGc();
        start = System.nanoTime();
        try (SegmentedJournal j = SegmentedJournal.open(dir, options)) {
            System.out.printf(Locale.ROOT, "RESULT open-ms %.0f ms%n", (System.nanoTime() - start) / 1e6);
            System.out.printf(Locale.ROOT, "RESULT segment-indexes-used %s (records scanned: %d)%n",
                    j.recoveryReport().checkpointUsed(), j.recoveryReport().recordsScanned());
            System.out.printf(Locale.ROOT, "RESULT heap-after-open-mib %.0f MiB%n", (heapAfterGc() - heapBefore) / 1048576.0);
            start = System.nanoTime();
            try (PointInTimeView v = j.openView(j.resolve(PointName.parse("latest")))) {
                System.out.printf(Locale.ROOT, "RESULT view-open-ms %.0f ms (%d pieces)%n", (System.nanoTime() - start) / 1e6,
                        v.mappedPieces());
                long[] reads = new long[VIEW_READS];
                ByteBuffer block = ByteBuffer.allocate(4096);
                for (int i = 0; i < VIEW_READS; i++) {
                    long t = System.nanoTime();
                    v.read(written[i], block.clear());
                    reads[i] = System.nanoTime() - t;
                }
                java.util.Arrays.sort(reads);
                System.out.printf(Locale.ROOT, "RESULT view-read-p50-us %.1f us%n", reads[VIEW_READS / 2] / 1e3);
                System.out.printf(Locale.ROOT, "RESULT view-read-p99-us %.1f us%n", reads[(int) (VIEW_READS * 0.99)] / 1e3);
                System.out.printf(Locale.ROOT, "RESULT view-read-max-ms %.1f ms%n", reads[VIEW_READS - 1] / 1e6);
            }
            // The first view built the live extent map (a replay of every record); later views share it.
            start = System.nanoTime();
            try (PointInTimeView v = j.openView(j.resolve(PointName.parse("latest")))) {
                System.out.printf(Locale.ROOT, "RESULT view-open-again-ms %.1f ms (%d pieces)%n",
                        (System.nanoTime() - start) / 1e6, v.mappedPieces());
            }
            long[] stalls = new long[appends];
            AtomicLong last = new AtomicLong();
            // Stopped by a flag, never by an interrupt: an interrupt during FileChannel.force closes the
            // segment's channel (ClosedByInterruptException), which the journal takes as a failed fsync.
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread committer = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        long target = last.get();
                        if (target > 0) {
                            j.awaitDurable(Lsn.of(target));
                        }
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long[] at = new long[appends];
            long appendStart = System.nanoTime();
            long wallStart = System.currentTimeMillis();
            long gcBefore = gcMillis();
            for (int i = 0; i < appends; i++) {
                long t = System.nanoTime();
                Lsn lsn = j.appendWrite(Math.floorMod(random.nextLong(), blocks) * 4096, data.clear());
                stalls[i] = System.nanoTime() - t;
                at[i] = t;
                last.set(lsn.value());
            }
            long appendNanos = System.nanoTime() - appendStart;
            stop.set(true);
            committer.join();
            // Where the longest stalls fell (wall-clock time, to set beside a JFR recording or a GC log).
            Integer[] order = new Integer[appends];
            for (int i = 0; i < appends; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Long.compare(stalls[b], stalls[a]));
            StringBuilder top = new StringBuilder();
            for (int k = 0; k < Math.min(5, appends); k++) {
                int i = order[k];
                top.append(String.format(Locale.ROOT, " #%d@%s=%.1fms", i,
                        java.time.Instant.ofEpochMilli(wallStart + (at[i] - appendStart) / 1_000_000), stalls[i] / 1e6));
            }
            long over1 = java.util.Arrays.stream(stalls).filter(x -> x > 1_000_000).count();
            System.out.printf(Locale.ROOT, "RESULT append-phase %d appends in %.2f s, %d stalls over 1 ms, GC %d ms;"
                    + " longest:%s%n", appends, appendNanos / 1e9, over1, gcMillis() - gcBefore, top);
            java.util.Arrays.sort(stalls);
            System.out.printf(Locale.ROOT, "RESULT append-p50-us %.1f us%n", stalls[appends / 2] / 1e3);
            System.out.printf(Locale.ROOT, "RESULT append-p99-us %.1f us%n", stalls[(int) (appends * 0.99)] / 1e3);
            System.out.printf(Locale.ROOT, "RESULT append-max-ms %.1f ms%n", stalls[appends - 1] / 1e6);
            System.out.printf(Locale.ROOT, "RESULT heap-after-appends-mib %.0f MiB%n", (heapAfterGc() - heapBefore) / 1048576.0);
        }
    }
}
