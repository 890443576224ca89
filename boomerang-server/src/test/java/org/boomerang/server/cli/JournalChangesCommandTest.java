package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.RecoveryPoint;
import org.boomerang.journal.SegmentedJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code boomerang journal changes} writes the blocks changed after a point as a change map with the
 * journal's generation, and a tracked sync with that map brings a disk at the point to the latest
 * state exactly as a delta sync does.
 */
class JournalChangesCommandTest {
    private static final long SIZE = 4L * 1024 * 1024;
    private static final int BLOCK = 64 * 1024;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void changesAfterAPointDriveATrackedSyncToTheSameDiskAsDelta() throws Exception {
        Path journalDir = dir.resolve("journal");
        Random random = new Random(3);
        UUID generation;
        RecoveryPoint point;
        try (SegmentedJournal j = SegmentedJournal.create(journalDir,
                JournalIdentity.create(new DiskId("disk0"), SIZE, 4096), JournalOptions.defaults())) {
            generation = j.identity().generation();
            j.appendWrite(0, ByteBuffer.wrap(bytes(random, 3 * BLOCK)));            // before the point
            point = j.appendMarker(MarkerKind.CRASH, "", "before");
            j.appendWrite(5L * BLOCK + 100, ByteBuffer.wrap(bytes(random, 10)));    // block 5
            j.appendWrite(10L * BLOCK - 1, ByteBuffer.wrap(bytes(random, 2)));      // blocks 9 and 10
            j.appendTrim(BLOCK, BLOCK);                                            // block 1
            j.appendZero(SIZE - 100, 100);                                         // the last block
            j.sync();
        }

        assertThat(run("journal", "changes", journalDir.toString(), "--since", "lsn:" + point.lsn().value(),
                "--to", dir.resolve("changes.map").toString(), "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"blocksChanged\":5", "\"generation\":\"" + generation + "\"");
        ChangeMap map = ChangeMap.readFrom(dir.resolve("changes.map"));
        assertThat(map.generation()).isEqualTo(generation);
        assertThat(map.blockSize()).isEqualTo(BLOCK);
        for (long b = 0; b < map.blockCount(); b++) {
            boolean expected = b == 1 || b == 5 || b == 9 || b == 10 || b == map.blockCount() - 1;
            assertThat(map.isMarked(b)).as("block %d", b).isEqualTo(expected);
        }

        Path latest = dir.resolve("latest.img");
        Path forTracked = dir.resolve("tracked.img");
        Path forDelta = dir.resolve("delta.img");
        assertThat(run("journal", "export", journalDir.toString(), "--at", "latest", "--to", latest.toString())).isZero();
        assertThat(run("journal", "export", journalDir.toString(), "--at", point.id(), "--to", forTracked.toString())).isZero();
        Files.copy(forTracked, forDelta);
        assertThat(Files.readAllBytes(forTracked)).isNotEqualTo(Files.readAllBytes(latest));

        assertThat(run("sync", "--source", latest.toString(), "--target", forTracked.toString(), "--mode", "tracked",
                "--changes", dir.resolve("changes.map").toString(), "--generation", generation.toString())).isZero();
        assertThat(run("sync", "--source", latest.toString(), "--target", forDelta.toString(), "--mode", "delta")).isZero();
        assertThat(Files.readAllBytes(forTracked)).isEqualTo(Files.readAllBytes(latest)).isEqualTo(Files.readAllBytes(forDelta));
    }

    @Test
    void anUnknownPointIsRefused() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (SegmentedJournal j = SegmentedJournal.create(journalDir,
                JournalIdentity.create(new DiskId("disk0"), SIZE, 4096), JournalOptions.defaults())) {
            j.sync();
        }
        int code = run("journal", "changes", journalDir.toString(), "--since", "no-such-point", "--to",
                dir.resolve("x.map").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("error: ");
        assertThat(dir.resolve("x.map")).doesNotExist();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] |= 1;
        return b;
    }

    private int run(String... args) throws IOException {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
