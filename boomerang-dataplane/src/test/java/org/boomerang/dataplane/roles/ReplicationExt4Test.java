package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.RecoveryPoint;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ext4 filesystem replicated through the agent: made with {@code mkfs.ext4} on the source image
 * before protection (the initial copy carries it), then grown in stages — files and directories added
 * with {@code debugfs -w} on a staging copy, and every block a stage changed written through the agent's
 * NBD export. The replica at a recovery point taken between two stages (mid-stream) passes
 * {@code e2fsck -fn} and holds that stage's files and none of the next; at the latest point it passes
 * {@code e2fsck -fn} and holds every file, byte for byte.
 */
class ReplicationExt4Test {
    static final long SIZE = 64L << 20;
    static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void anExt4ReplicaIsCleanMidStreamAndHoldsEveryFileAtTheLatestPoint() throws Exception {
        Path staging = dir.resolve("staging.img");
        Files.write(staging, new byte[0]);
        try (var ch = java.nio.channels.FileChannel.open(staging, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(1), SIZE - 1);
        }
        TestingTools.ok(dir, "mkfs.ext4", "-q", "-F", "-b", "4096", "-E", "lazy_itable_init=0,lazy_journal_init=0", staging.toString());
        Files.createDirectories(dir.resolve("agent"));
        TestingTools.ok(dir, "cp", "--sparse=always", staging.toString(), dir.resolve("agent/disk0.img").toString());
        byte[] previous = Files.readAllBytes(staging);

        Random random = new Random(15);
        Map<String, Path> files = new LinkedHashMap<>();
        List<List<String>> stages = new ArrayList<>();
        String midPointId = null;
        int midStage = 1;
        Path journal;
        Path image;
        try (Replication r = Replication.start(dir, Replication.Options.of("disk0", SIZE, Duration.ofMillis(100)))) {
            journal = r.journalDirectory("disk0");
            image = r.image("disk0");
            assertThat(r.awaitReplicated("disk0", Duration.ofSeconds(60))).as("the initial copy of the new filesystem").isTrue();
            try (NbdBlockDevice nbd = NbdBlockDevice.open(NbdUri.parse(r.nbdUri("disk0")))) {
                for (int stage = 0; stage < 3; stage++) {
                    List<String> names = new ArrayList<>();
                    List<String> commands = new ArrayList<>(List.of("mkdir /s" + stage));
                    for (int f = 0; f < 6; f++) {
                        String name = "/s" + stage + "/f" + f + ".bin";
                        Path host = dir.resolve("s" + stage + "-f" + f + ".bin");
                        byte[] data = new byte[1 + random.nextInt(f == 0 ? 4 << 20 : 300 << 10)];
                        random.nextBytes(data);
                        Files.write(host, data);
                        commands.add("write " + host + " " + name);
                        files.put(name, host);
                        names.add(name);
                    }
                    Path script = dir.resolve("stage" + stage + ".debugfs");
                    Files.writeString(script, String.join("\n", commands) + "\n");
                    TestingTools.ok(dir, "debugfs", "-w", "-f", script.toString(), staging.toString());
                    byte[] next = Files.readAllBytes(staging);
                    int changed = 0;
                    for (int off = 0; off < next.length; off += BLOCK) {
                        if (!Arrays.equals(previous, off, off + BLOCK, next, off, off + BLOCK)) {
                            nbd.write(off, ByteBuffer.wrap(next, off, BLOCK), false);
                            changed++;
                        }
                    }
                    nbd.flush();
                    previous = next;
                    stages.add(names);
                    assertThat(r.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();
                    long stageLsn = r.agent().lastLsn("disk0");
                    RecoveryPoint after = awaitPointAfter(journal, stageLsn);
                    System.out.printf("ReplicationExt4Test: stage %d wrote %d blocks through the agent; point %s at lsn %d%n", stage, changed,
                            after.id(), after.lsn().value());
                    if (stage == midStage) {
                        midPointId = after.id();
                    }
                }
            }
        }
        assertThat(Arrays.equals(Files.readAllBytes(image), previous)).as("the agent's image is the staged filesystem").isTrue();

        long midLsn;
        try (SegmentedJournal j = SegmentedJournal.open(journal, JournalOptions.defaults())) {
            String id = midPointId;
            midLsn = j.points().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().lsn().value();
            assertThat(j.points().getLast().lsn().value()).as("the mid-stream point is not the last").isGreaterThan(midLsn);
        }
        Path mid = dir.resolve("replica-mid.img");
        Files.write(mid, TestingTools.replica(journal, midLsn));
        fsck(mid);
        for (int stage = 0; stage < stages.size(); stage++) {
            for (String name : stages.get(stage)) {
                TestingTools.Result stat = TestingTools.run(dir, "debugfs", "-R", "stat " + name, mid.toString());
                if (stage <= midStage) {
                    assertThat(Arrays.equals(read(mid, name), Files.readAllBytes(files.get(name))))
                            .as("%s whole at the mid-stream point", name).isTrue();
                } else {
                    assertThat(stat.output()).as("%s is not yet at the mid-stream point", name).contains("File not found");
                }
            }
        }

        Path latest = dir.resolve("replica-latest.img");
        Files.write(latest, TestingTools.replica(journal, null));
        fsck(latest);
        for (Map.Entry<String, Path> f : files.entrySet()) {
            assertThat(Arrays.equals(read(latest, f.getKey()), Files.readAllBytes(f.getValue()))).as("%s whole at the latest point", f.getKey())
                    .isTrue();
        }
    }

    private void fsck(Path image) throws Exception {
        TestingTools.Result r = TestingTools.run(dir, "e2fsck", "-fn", image.toString());
        assertThat(r.exit()).as("e2fsck -fn %s:%n%s", image.getFileName(), r.output()).isZero();
    }

    private byte[] read(Path image, String name) throws Exception {
        Path out = dir.resolve("dumped.bin");
        Files.deleteIfExists(out);
        TestingTools.ok(dir, "debugfs", "-R", "dump " + name + " " + out, image.toString());
        return Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
    }

    /** Waits for the first recovery point after {@code lsn} in the journal the master target writes. */
    private static RecoveryPoint awaitPointAfter(Path journal, long lsn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (SegmentedJournal j = SegmentedJournal.openReadOnly(journal, JournalOptions.defaults())) {
                for (RecoveryPoint p : j.points()) {
                    if (p.lsn().value() > lsn) {
                        return p;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no recovery point after lsn " + lsn + " within 30 s");
    }
}
