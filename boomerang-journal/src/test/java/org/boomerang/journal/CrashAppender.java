package org.boomerang.journal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.boomerang.common.Lsn;

/**
 * The child process of {@link CrashTest}: opens (or creates) the journal, prints {@code READY}, then
 * appends from several threads and prints {@code ACK lsn thread seq} for every LSN once it is durable,
 * until it is killed. Write {@code (thread, seq)} goes to a place and holds bytes derived only from
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
        return thread * region + (seq * 7919L % (region / 512 - 16)) * 512;
    }

    static byte[] payload(int thread, int seq) {
        int length = 512 + (seq * 31 % 8) * 512;
        return JournalFixtures.payload(thread * 1_000_003L + seq, length);
    }
}
