package org.boomerang.dataplane.roles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.PointInTimeView;
import org.boomerang.journal.SegmentedJournal;

/** Real peers (qemu-io, fio, e2fsck) as subprocesses, and replica read-back, for the replication tests. */
final class TestingTools {
    private TestingTools() {}

    record Result(int exit, String output) {}

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void ok(Path dir, String... command) throws IOException, InterruptedException {
        Result r = run(dir, command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
    }

    /** The replica of a disk at {@code lsn} (latest when null), read whole from its journal (closed, not in use). */
    static byte[] replica(Path journalDir, Long lsn) throws IOException {
        try (SegmentedJournal j = SegmentedJournal.open(journalDir, JournalOptions.defaults());
                PointInTimeView view = j.openView(lsn == null ? j.durableLsn() : Lsn.of(lsn))) {
            ByteBuffer all = ByteBuffer.allocate((int) view.size());
            view.read(0, all);
            return all.array();
        }
    }

    /** The replica at its durable LSN, read from a journal a running master target writes; empty when unreadable now. */
    static byte[] liveReplica(Path journalDir) {
        try (SegmentedJournal j = SegmentedJournal.openReadOnly(journalDir, JournalOptions.defaults());
                PointInTimeView view = j.openView(j.durableLsn())) {
            ByteBuffer all = ByteBuffer.allocate((int) view.size());
            view.read(0, all);
            return all.array();
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    static byte[] image(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
