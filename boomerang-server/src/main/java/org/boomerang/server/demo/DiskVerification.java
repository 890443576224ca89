package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.provider.lab.GuestFilesystem;
import org.boomerang.provider.lab.SampleEstate;

/**
 * The checks the drill runs on a sample disk as a site sees it through NBD (a recovered machine's
 * disk after a failover, the primary's after a failback), as lines of its report: the disk's
 * SHA-256 against the digest it must have (the source at the chosen point), and on a disk with a
 * filesystem {@code e2fsck -fn} and every file's SHA-256 ({@link FilesystemCheck}). Without
 * e2fsprogs the filesystem checks are reported as skipped, not failed. Stateless and thread-safe.
 */
public final class DiskVerification {
    private DiskVerification() {}

    /**
     * Checks {@code disk} exported at {@code uri}; {@code expectedSha256} empty records the digest
     * without comparing it. The digest's progress goes to {@code progress}; {@code temp} holds the
     * filesystem's copy while it is checked.
     */
    public static List<DrillReport.Check> verify(SampleEstate.SampleDisk disk, NbdUri uri, Optional<String> expectedSha256, Path temp,
                                                 PrintWriter progress) throws IOException {
        requireNonNull(disk, "disk is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(expectedSha256, "expectedSha256 is null");
        List<DrillReport.Check> checks = new ArrayList<>();
        ByteProgress bar = ByteProgress.start(progress, "digest " + disk.disk(), disk.sizeBytes());
        String sha = DiskDigest.sha256(uri, bar::update);
        bar.finish();
        checks.add(new DrillReport.Check(disk.disk(), "digest", expectedSha256.map(sha::equals).orElse(true),
                "sha256 " + sha + expectedSha256.filter(e -> !e.equals(sha)).map(e -> ", expected " + e).orElse("")));
        if (disk.fs().isEmpty()) {
            return checks;
        }
        SampleEstate.Filesystem fs = disk.fs().get();
        if (GuestFilesystem.find("e2fsck").isEmpty() || GuestFilesystem.find("debugfs").isEmpty()) {
            checks.add(new DrillReport.Check(disk.disk(), "e2fsck", true, "skipped: e2fsprogs is not installed"));
            return checks;
        }
        FilesystemCheck.Result r;
        try {
            r = FilesystemCheck.overNbd(uri, fs, temp);
        } catch (BoomerangException e) {
            checks.add(new DrillReport.Check(disk.disk(), "e2fsck", false, e.describe()));
            return checks;
        }
        checks.add(new DrillReport.Check(disk.disk(), "e2fsck", r.fsckExit() == 0,
                r.fsckExit() == 0 ? "clean" : "exit " + r.fsckExit() + ": " + r.problems().getFirst()));
        List<String> fileProblems = r.problems().stream().filter(p -> !p.startsWith("e2fsck")).toList();
        checks.add(new DrillReport.Check(disk.disk(), "files", fileProblems.isEmpty(),
                fileProblems.isEmpty() ? fs.files().size() + " files with their SHA-256" : String.join("; ", fileProblems)));
        return checks;
    }
}
