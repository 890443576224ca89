package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.PointInTimeView;
import org.boomerang.journal.PointName;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.stream.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults as child processes under write load: one writer sends writes through the agent's NBD export
 * (the in-tree NBD client) and records each one acknowledged; the master target, the process server and
 * the agent — each a child JVM — are killed with SIGKILL at a random moment and started again on their
 * ports. After each kill the replica's latest point (read from the journal while the master target
 * writes it) must become a prefix state of the writes that holds every write acknowledged before the
 * kill, and every catch-up window the agent opens covers only its dirty extents, never the whole disk.
 * At the end the replica at latest equals the agent's image.
 *
 * <p>{@code scripts/replication-crash-soak.sh} runs many rounds of this test ({@code -Dcrash.rounds=N}).
 */
class ReplicationCrashTest {
    static final long DISK = 256L << 20;
    static final long REGION = 16L << 20;
    static final int EXTENT = 1 << 20;
    /** Extents a write makes dirty in the map's file at most: its own and the look-ahead (DirtyMap.LOOK_AHEAD). */
    static final int DIRTY_BOUND = (int) (REGION / EXTENT) + 32 + 1;
    private static final Pattern WINDOW = Pattern.compile("window open: (.*) \\((\\d+) extents to send\\)");

    @TempDir
    Path dir;

    private final List<ChildRole> children = new ArrayList<>();

    @AfterEach
    void killAll() {
        children.forEach(ChildRole::close);
    }

    @Test
    void killingEachRoleUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        int rounds = Integer.getInteger("crash.rounds", 3);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("ReplicationCrashTest: seed " + seed + ", " + rounds + " rounds");

        CertificateAuthority.initDirectory(dir.resolve("certs"), Set.of());
        String tls = "tls: {ca: certs/ca.crt, cert: certs/%1$s.crt, key: certs/%1$s.key}\n";
        ChildRole mt = child("master-target", "listen: 127.0.0.1:LISTEN\ndata: mt\n" + tls.formatted("master-target"));
        ChildRole ps = child("process-server", "listen: 127.0.0.1:LISTEN\ncache: {dir: ps-cache, max-size: 1GiB}\n"
                + "master-targets: [{address: '127.0.0.1:NEXT', disks: ['*']}]\n" + tls.formatted("process-server"));
        ChildRole agent = child("agent", "nbd: {listen: '127.0.0.1:LISTEN'}\nprocess-server: '127.0.0.1:NEXT'\nstate: agent-state\n"
                + "disks: [{id: disk0, image: disk0.img, size: 256MiB}]\nmarker-every: 100ms\n" + tls.formatted("agent"));
        mt.start(0, 0);
        ps.start(0, mt.port());
        agent.start(0, ps.port());
        Path journal = dir.resolve("mt/journals/disk0");

        List<ChildRole> victims = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            if (i % 3 == 0) {
                List<ChildRole> all = new ArrayList<>(List.of(mt, ps, agent));
                Collections.shuffle(all, random);
                victims.addAll(all);
            }
        }
        try (WriteLoad load = new WriteLoad(() -> "nbd://127.0.0.1:" + agent.port() + "/disk0", REGION, 16, seed, 200).start()) {
            for (int round = 1; round <= rounds; round++) {
                ChildRole victim = victims.get(round - 1);
                Thread.sleep(300 + random.nextInt(900));
                int before = load.acknowledged();
                victim.kill9();
                Thread.sleep(random.nextInt(500));
                int nextHop = victim == mt ? 0 : victim == ps ? mt.port() : ps.port();
                victim.start(victim.port(), nextHop);
                long restarted = System.nanoTime();
                int k = awaitPrefix(journal, load, before - 1, Duration.ofSeconds(60));
                System.out.printf("round %d/%d: killed %s -9 after %d acknowledged writes; %d ms after its restart the replica's"
                        + " latest point holds writes #0..#%d%n", round, rounds, victim.role, before,
                        (System.nanoTime() - restarted) / 1_000_000, k);
            }
            int total = load.stop();
            int k = awaitPrefix(journal, load, total - 1, Duration.ofSeconds(60));
            assertThat(k).as("the latest point holds every acknowledged write").isEqualTo(total - 1);
            System.out.printf("ReplicationCrashTest: %d writes acknowledged, %d sent again after a kill%n", total, load.retries());
        }

        agent.stop();
        ps.stop();
        mt.stop();
        assertReplicaEqualsImage(journal, dir.resolve("disk0.img"));
        assertNoFullResync(agent.logText());
    }

    @AfterEach
    void keepLogs() throws IOException {
        String keep = System.getProperty("crash.keep-logs");
        if (keep != null) {
            Path to = Files.createDirectories(Path.of(keep));
            for (ChildRole c : children) {
                Files.writeString(to.resolve(c.role + ".log"), c.logText());
            }
        }
    }

    private ChildRole child(String role, String template) {
        ChildRole c = new ChildRole(dir, role, template);
        children.add(c);
        return c;
    }

    /**
     * Reads the replica's latest point from the journal the master target writes until it holds at least
     * writes {@code #0..#atLeast}; every state read must be a prefix state. Returns the {@code k} reached.
     */
    static int awaitPrefix(Path journal, WriteLoad load, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int k = -1;
        while (true) {
            List<WriteLoad.Write> writes = load.issued();
            byte[] region = latestRegion(journal);
            if (region != null) {
                k = WriteLoad.check(region, writes);
                if (k >= atLeast) {
                    return k;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout + " the replica's latest point holds writes #0..#" + k
                        + " only, but #0..#" + atLeast + " were acknowledged");
            }
            Thread.sleep(100);
        }
    }

    /** The first {@link #REGION} bytes of the replica at its latest point, or null when there is none yet. */
    static byte[] latestRegion(Path journal) throws IOException {
        if (!SegmentedJournal.exists(journal)) {
            return null;
        }
        try (SegmentedJournal j = SegmentedJournal.openReadOnly(journal, JournalOptions.defaults())) {
            Lsn latest;
            try {
                latest = j.resolve(PointName.parse("latest"));
            } catch (RuntimeException e) {
                return null; // no consistent LSN yet
            }
            try (PointInTimeView view = j.openView(latest)) {
                ByteBuffer region = ByteBuffer.allocate((int) REGION);
                view.read(0, region);
                return region.array();
            }
        }
    }

    /** The replica at latest equals the image byte for byte (compared in pieces: the disk is large and sparse). */
    static void assertReplicaEqualsImage(Path journal, Path image) throws IOException {
        try (SegmentedJournal j = SegmentedJournal.open(journal, JournalOptions.defaults());
                PointInTimeView view = j.openView(j.resolve(PointName.parse("latest")));
                FileChannel img = FileChannel.open(image, StandardOpenOption.READ)) {
            assertThat(view.size()).isEqualTo(img.size());
            ByteBuffer a = ByteBuffer.allocate(8 << 20);
            ByteBuffer b = ByteBuffer.allocate(8 << 20);
            for (long off = 0; off < view.size(); off += a.capacity()) {
                a.clear().limit((int) Math.min(a.capacity(), view.size() - off));
                b.clear().limit(a.limit());
                view.read(off, a);
                while (b.hasRemaining() && img.read(b, off + b.position()) >= 0) {
                    // reads the piece whole
                }
                assertThat(a.flip().equals(b.flip())).as("the replica at latest equals the agent's image at [" + off + ", +"
                        + a.limit() + ")").isTrue();
            }
            assertThat(j.points()).as("markers every 100 ms").isNotEmpty();
        }
    }

    /** Every catch-up window the agent opened covers at most the extents writes can have dirtied, never the whole disk. */
    static void assertNoFullResync(String agentLog) {
        Matcher m = WINDOW.matcher(agentLog);
        int windows = 0;
        while (m.find()) {
            windows++;
            System.out.println("ReplicationCrashTest: agent " + m.group());
            if (windows > 1) {
                assertThat(m.group(1)).as("no initial copy after the first start").isNotEqualTo("initial copy");
            }
            assertThat(Integer.parseInt(m.group(2))).as("a catch-up (" + m.group(1) + ") covers only dirty extents, not the "
                    + (DISK / EXTENT) + " of the disk").isLessThanOrEqualTo(DIRTY_BOUND);
        }
        System.out.println("ReplicationCrashTest: " + windows + " catch-up windows, each within " + DIRTY_BOUND + " extents");
    }
}
