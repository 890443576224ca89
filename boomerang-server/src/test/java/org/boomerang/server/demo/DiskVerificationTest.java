package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.nbd.server.NbdServer;
import org.boomerang.provider.lab.SampleEstate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill's checks of a disk through a real NBD export (the in-tree server over sample disks with
 * real ext4): digest against the expected one, e2fsck and files; what each failure looks like in the
 * report; the e2fsprogs tools missing or failing.
 */
class DiskVerificationTest {
    private static final long SIZE = 32L << 20;

    @TempDir
    Path dir;

    @Test
    void aSampleDiskPassesItsChecksAndDamageFailsThem() throws Exception {
        SampleEstate.Manifest m = SampleEstate.seed(dir.resolve("estate"), SIZE, Clock.SYSTEM);
        SampleEstate.SampleDisk lin1 = m.disk("lin1-disk0").orElseThrow();
        SampleEstate.SampleDisk win1 = m.disk("win1-disk0").orElseThrow();
        Path lin1Image = dir.resolve("estate").resolve(lin1.image());
        String expected = DiskDigest.sha256(lin1Image);
        try (RawFileBlockDevice a = RawFileBlockDevice.open(lin1Image, false);
             RawFileBlockDevice b = RawFileBlockDevice.open(dir.resolve("estate").resolve(win1.image()), false);
             NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("lin1", a).export("win1", b).build().start()) {
            NbdUri lin1Uri = new NbdUri("127.0.0.1", server.port(), "lin1");
            StringWriter progress = new StringWriter();
            List<DrillReport.Check> ok = DiskVerification.verify(lin1, lin1Uri, Optional.of(expected), dir, new PrintWriter(progress));
            assertThat(ok).extracting(DrillReport.Check::kind).containsExactly("digest", "e2fsck", "files");
            assertThat(ok).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
            assertThat(ok.get(2).detail()).isEqualTo("4 files with their SHA-256");
            assertThat(progress.toString()).contains("digest lin1-disk0 done: 32.0 MiB");

            List<DrillReport.Check> windows = DiskVerification.verify(win1, new NbdUri("127.0.0.1", server.port(), "win1"), Optional.empty(), dir,
                    new PrintWriter(new StringWriter()));
            assertThat(windows).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo("digest");
                assertThat(c.passed()).isTrue();
            });

            List<DrillReport.Check> other = DiskVerification.verify(lin1, lin1Uri, Optional.of("00".repeat(32)), dir, new PrintWriter(new StringWriter()));
            assertThat(other.getFirst().passed()).isFalse();
            assertThat(other.getFirst().detail()).contains("sha256 " + expected).contains("expected " + "00".repeat(32));
            assertThat(new DrillReport.Verification(other).passed()).isFalse();

            try (RandomAccessFile f = new RandomAccessFile(lin1Image.toFile(), "rw")) {
                f.seek(1024 + 56); // the superblock's magic number
                f.write(new byte[] {0, 0});
            }
            List<DrillReport.Check> broken = DiskVerification.verify(lin1, lin1Uri, Optional.empty(), dir, new PrintWriter(new StringWriter()));
            assertThat(broken.get(1).kind()).isEqualTo("e2fsck");
            assertThat(broken.get(1).passed()).isFalse();
            assertThat(broken.get(2).passed()).as("the files cannot be read from a filesystem without its superblock").isFalse();
        }
    }

    @Test
    void missingOrBrokenToolsAreErrorsThatSayWhatToInstall() throws Exception {
        SampleEstate.Manifest m = SampleEstate.seed(dir.resolve("estate"), SIZE, Clock.SYSTEM);
        SampleEstate.SampleDisk lin1 = m.disk("lin1-disk0").orElseThrow();
        Path image = dir.resolve("estate").resolve(lin1.image());
        SampleEstate.Filesystem fs = lin1.fs().orElseThrow();
        assertThatThrownBy(() -> FilesystemCheck.ofImage(image, fs, name -> Optional.empty()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(DemoError.DEMO_TOOL_MISSING);
                    assertThat(e.getMessage()).contains("e2fsck is not installed");
                    assertThat(e.hint()).contains("e2fsprogs");
                });
        assertThatThrownBy(() -> FilesystemCheck.ofImage(image, fs, name -> Optional.of(dir.resolve("no-such-" + name))))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(DemoError.DEMO_TOOL_FAILED);
                    assertThat(e.getMessage()).contains("cannot run");
                });
    }
}
