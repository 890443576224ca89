package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.SegmentedJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three roles in one process over real gRPC with mutual TLS; qemu-io writes through the agent's NBD
 * export; the replica journal at the master target ends equal to the agent's image.
 */
class ReplicationLoopbackTest {
    static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void qemuIoWritesReachTheReplicaJournalByteForByte() throws Exception {
        Path journal;
        Path image;
        try (Replication r = Replication.start(dir, Replication.Options.of("disk0", SIZE, Duration.ofMillis(200)))) {
            String uri = r.nbdUri("disk0");
            TestingTools.ok(dir, "qemu-io", "-f", "raw", "-c", "write -P 0xab 0 1M", "-c", "write -P 0xcd 10M 64k",
                    "-c", "write -P 0x11 63M 4k", "-c", "write -z 512k 128k", "-c", "discard 10M 4k", uri);
            assertThat(r.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();
            Thread.sleep(500);
            TestingTools.ok(dir, "qemu-io", "-f", "raw", "-c", "write -P 0x77 5M 3M", uri);
            assertThat(r.awaitReplicated("disk0", Duration.ofSeconds(60))).isTrue();
            journal = r.journalDirectory("disk0");
            image = r.image("disk0");
        }
        byte[] source = TestingTools.image(image);
        byte[] replica = TestingTools.replica(journal, null);
        assertThat(Arrays.equals(source, replica)).as("replica equals the source").isTrue();
        try (SegmentedJournal j = SegmentedJournal.open(journal, JournalOptions.defaults())) {
            assertThat(j.points()).as("crash markers every 200 ms").isNotEmpty();
        }
    }
}
