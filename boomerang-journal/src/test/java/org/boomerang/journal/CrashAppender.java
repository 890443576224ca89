package org.boomerang.journal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RetentionPolicy;

/**
 * The child process of {@link CrashTest}: opens (or creates) the journal, prints {@code READY}, then
 * appends from several threads and prints {@code ACK lsn thread seq} for every LSN once it is durable,
 * until it is killed. Thread 0 also runs retention (one-second window) now and then, so kills land
 * inside retention runs as well. Write {@code (thread, seq)} goes to a place and holds bytes derived only from
 * {@code (thread, seq)}, so the parent can check it after recovery.
 */
public final class CrashAppender {
    static final long DISK_SIZE = 4 << 20;
    static final int THREADS = 3;

    private CrashAppender() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int startSeq = Integer.parseInt(args[1]);
        JournalOptions options = JournalOptions.defaults().withSegmentBytes(64 * 1024);
        Journal journal = SegmentedJournal.exists(dir)
                ? SegmentedJournal.open(dir, options)
                : SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, DISK_SIZE, 512), options);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        synchronized (out) {
            out.println("READY " + journal.lastLsn().value());
            out.flush();
        }
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    for (int seq = startSeq; ; seq++) {
                        if (thread == 0 && seq % 40 == 0) {
                            // Retention under load too: markers older than a second go into the base image.
                            journal.applyRetention(RetentionPolicy.window(Duration.ofSeconds(1)));
                        }
                        Lsn lsn = journal.appendWrite(offset(thread, seq), ByteBuffer.wrap(payload(thread, seq)));
                        if (seq % 17 == 0) {
                            journal.appendMarker(MarkerKind.CRASH, "", "t" + thread);
                        }
                        journal.awaitDurable(lsn);
                        synchronized (out) {
                            out.println("ACK " + lsn.value() + " " + thread + " " + seq);
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    synchronized (out) {
                        out.println("FAILED " + e);
                        out.flush();
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static long offset(int thread, int seq) {
        long region = DISK_SIZE / THREADS / 4096 * 4096;
        long offset = thread * region + (seq * 7919L % (region / 512 - 16)) * 512;
        return Math.min(offset, DISK_SIZE - length(seq));
    }

    /** Mostly small records (page cache); every tenth is 160 KiB, written with direct I/O. */
    static int length(int seq) {
        return seq % 10 == 3 ? 160 * 1024 : 512 + (seq * 31 % 8) * 512;
    }

    static byte[] payload(int thread, int seq) {
        return JournalFixtures.payload(thread * 1_000_003L + seq, length(seq));
    }
}
