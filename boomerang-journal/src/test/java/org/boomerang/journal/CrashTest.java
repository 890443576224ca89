package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends under load with SIGKILL at random moments (also during its startup
 * recovery), many times over the same journal. After every kill the reopened journal must hold every
 * acknowledged LSN with exactly the acknowledged bytes, every record must pass its checksum, and the
 * LSNs must run without a gap from the base to the last.
 *
 * <p>{@code -Djournal.crash.kills=N} runs more kills (the soak in {@code scripts/journal-crash-soak.sh}).
 */
class CrashTest {
    private static final int DEFAULT_KILLS = 50;

    @TempDir
    Path tmp;

    record Ack(long lsn, int thread, int seq) {}

    @Test
    void everyAcknowledgedLsnSurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("journal.crash.kills", DEFAULT_KILLS);
        long seed = Long.getLong("journal.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path dir = tmp.resolve("journal");
        List<Ack> acked = new ArrayList<>();
        int nextSeq = 0;
        long lastSeen = 0;
        for (int k = 0; k < kills; k++) {
            int startSeq = nextSeq;
            Process child = start(dir, startSeq);
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> pump(child, lines));
            List<String> seenLines = new ArrayList<>();
            boolean duringStartup = k > 0 && random.nextInt(8) == 0;
            if (duringStartup) {
                Thread.sleep(random.nextInt(400));
            } else {
                String first = lines.poll(30, TimeUnit.SECONDS);
                assertThat(first).as("child did not start (seed %d)", seed).startsWith("READY");
                int acksBeforeKill = 1 + random.nextInt(60);
                for (int seen = 0; seen < acksBeforeKill; ) {
                    String line = lines.poll(30, TimeUnit.SECONDS);
                    assertThat(line).as("child stopped acknowledging (seed %d)", seed).isNotNull();
                    assertThat(line).doesNotStartWith("FAILED");
                    seenLines.add(line);
                    if (line.startsWith("ACK")) {
                        seen++;
                    }
                }
            }
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.get(30, TimeUnit.SECONDS);
            seenLines.addAll(lines);
            for (String line : seenLines) {
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("ACK")) {
                    acked.add(new Ack(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                }
            }
            nextSeq = startSeq + 100_000;
            if (!SegmentedJournal.exists(dir)) {
                continue;
            }
            lastSeen = check(dir, acked, lastSeen, seed);
        }
        assertThat(acked.size()).as("acknowledged writes over %d kills", kills).isGreaterThan(kills);
    }

    private static long check(Path dir, List<Ack> acked, long lastSeen, long seed) throws IOException {
        try (Journal j = SegmentedJournal.open(dir, JournalOptions.defaults().withSegmentBytes(64 * 1024))) {
            long last = j.lastLsn().value();
            long maxAcked = acked.stream().mapToLong(Ack::lsn).max().orElse(0);
            assertThat(last).as("last LSN after recovery vs acknowledged (seed %d)", seed).isGreaterThanOrEqualTo(maxAcked);
            assertThat(last).as("a recovered journal never goes back (seed %d)", seed).isGreaterThanOrEqualTo(lastSeen);
            assertThat(j.verify()).as("records from base to last, each checked (seed %d)", seed)
                    .isEqualTo(last - j.baseLsn().value());
            for (Ack a : acked.subList(Math.max(0, acked.size() - 200), acked.size())) {
                try (PointInTimeView v = j.openView(Lsn.of(a.lsn()))) {
                    byte[] want = CrashAppender.payload(a.thread(), a.seq());
                    ByteBuffer got = ByteBuffer.allocate(want.length);
                    v.read(CrashAppender.offset(a.thread(), a.seq()), got);
                    assertThat(got.array()).as("bytes of acknowledged %s (seed %d)", a, seed).isEqualTo(want);
                }
            }
            return last;
        }
    }

    private static Process start(Path dir, int startSeq) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx128m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashAppender.class.getName(), dir.toString(), Integer.toString(startSeq));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static void pump(Process child, LinkedBlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("FAILED reading the child: " + e);
        }
    }
}
