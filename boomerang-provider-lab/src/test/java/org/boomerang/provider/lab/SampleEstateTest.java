package org.boomerang.provider.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample estate against the real lab provider and the real e2fsprogs: the machines and
 * datastores it promises, ext4 over the first half of each Linux disk that {@code e2fsck -fn}
 * passes and whose files {@code debugfs} reads back with the manifest's digests, a second half
 * that raw writes do not break, reuse, an interrupted seeding started over, plain disks without
 * mkfs.ext4.
 */
class SampleEstateTest {
    private static final long SIZE = 32L << 20;

    @TempDir
    Path dir;

    @Test
    void seedsThePromisedEstateWithExt4OverTheFirstHalfOfEachLinuxDisk() throws Exception {
        SampleEstate.Manifest m = SampleEstate.seed(dir, SIZE, Clock.SYSTEM);
        assertThat(m.filesystems()).isTrue();
        assertThat(m.note()).isNull();

        LabSiteProvider primary = LabSiteProvider.open(new SiteId("primary"), SampleEstate.primaryFolder(dir), Optional.empty(), Clock.SYSTEM);
        Inventory inv = primary.discover();
        assertThat(inv.managers()).singleElement().satisfies(v -> assertThat(v.id().value()).isEqualTo("vc1"));
        assertThat(inv.hosts()).extracting(h -> h.id().value()).containsExactly("esx1", "esx2");
        assertThat(inv.datastores()).extracting(d -> d.type()).containsExactly(DatastoreType.VMFS, DatastoreType.VSAN, DatastoreType.RDM);
        assertThat(inv.machines()).extracting(x -> x.id().value()).containsExactly("lin1", "lin2", "win1", "phys1");
        assertThat(inv.machines().stream().filter(x -> x.kind() == MachineKind.VM && x.os().family() == OsFamily.LINUX)).hasSize(2);
        assertThat(inv.machines().stream().filter(x -> x.kind() == MachineKind.VM && x.os().family() == OsFamily.WINDOWS)).hasSize(1);
        assertThat(inv.machines().stream().filter(x -> x.kind() == MachineKind.PHYSICAL && x.os().family() == OsFamily.LINUX)).hasSize(1);
        assertThat(inv.machines()).allSatisfy(x -> {
            assertThat(x.power()).isEqualTo(PowerState.ON);
            assertThat(x.agent().installed()).isTrue();
        });
        LabSiteProvider recovery = LabSiteProvider.open(new SiteId("recovery"), SampleEstate.recoveryFolder(dir), Optional.empty(), Clock.SYSTEM);
        assertThat(recovery.discover().hosts()).extracting(h -> h.id().value()).containsExactly("cloud-host");
        assertThat(recovery.discover().datastores()).extracting(d -> d.id().value()).containsExactly("cloud-store");

        for (Machine machine : inv.machines()) {
            Path image = ((DiskBacking.ImageFile) machine.disks().getFirst().backing()).path();
            SampleEstate.SampleDisk disk = m.disk(machine.disks().getFirst().id().value()).orElseThrow();
            assertThat(dir.resolve(disk.image())).isEqualTo(image);
            assertThat(Files.size(image)).isEqualTo(SIZE);
            assertThat(allocatedBytes(image)).as("sparse").isLessThan(SIZE / 2);
            assertThat(zeros(image, SIZE / 2, SIZE / 2)).as("the second half is left to the workload").isTrue();
            if (machine.os().family() == OsFamily.WINDOWS) {
                assertThat(disk.fs()).isEmpty();
                assertThat(zeros(image, 0, SIZE)).isTrue();
                continue;
            }
            SampleEstate.Filesystem fs = disk.fs().orElseThrow();
            assertThat(fs.offsetBytes()).isZero();
            assertThat(fs.sizeBytes()).isEqualTo(SIZE / 2);
            assertThat(fs.files()).containsKeys("/etc/hostname", "/srv/data/records.bin", "/var/log/app.log");
            assertThat(run("e2fsck", "-fn", image.toString()).exit()).isZero();
            for (Map.Entry<String, String> f : fs.files().entrySet()) {
                assertThat(SampleEstate.sha256(cat(image, f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
            }
            assertThat(new String(cat(image, "/etc/hostname"), StandardCharsets.UTF_8)).isEqualTo(machine.id().value() + "\n");
            assertThat(new String(cat(image, "/SHA256SUMS"), StandardCharsets.UTF_8)).contains(fs.files().get("/srv/data/records.bin") + "  /srv/data/records.bin");

            // a guest workload's raw writes into the second half leave the filesystem clean
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.seek(SIZE / 2);
                f.write(new byte[64 << 10]);
                f.seek(SIZE - 4096);
                f.write("raw blocks".repeat(400).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(run("e2fsck", "-fn", image.toString()).exit()).isZero();
        }
    }

    @Test
    void aSecondOpenReusesTheEstateAndAnInterruptedSeedingStartsOver() throws Exception {
        SampleEstate.Manifest first = SampleEstate.openOrSeed(dir, SIZE, Clock.SYSTEM);
        Path image = dir.resolve(first.disk("win1-disk0").orElseThrow().image());
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(SIZE - 1);
            f.write(7);
        }
        assertThat(SampleEstate.openOrSeed(dir, 64L << 20, Clock.SYSTEM)).as("reused, whatever size is asked now").isEqualTo(first);
        assertThat(zeros(image, SIZE - 1, 1)).as("the disk was not made again").isFalse();
        assertThatThrownBy(() -> SampleEstate.seed(dir, SIZE, Clock.SYSTEM))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_INVALID_REQUEST));

        Files.delete(dir.resolve(SampleEstate.MANIFEST));
        SampleEstate.Manifest again = SampleEstate.openOrSeed(dir, SIZE, Clock.SYSTEM);
        assertThat(again.disks()).hasSize(4);
        assertThat(zeros(image, SIZE - 1, 1)).as("an interrupted seeding is started over from nothing").isTrue();
    }

    @Test
    void withoutMkfsTheDisksArePlainAndTheManifestSaysWhy() throws Exception {
        SampleEstate.Manifest m = SampleEstate.seed(dir, SIZE, Clock.SYSTEM, Optional.empty());
        assertThat(m.filesystems()).isFalse();
        assertThat(m.note()).contains("mkfs.ext4").contains("e2fsprogs");
        assertThat(m.disks()).hasSize(4).allSatisfy(d -> assertThat(d.fs()).isEmpty());
        assertThat(SampleEstate.read(dir)).contains(m);
    }

    @Test
    void aDiskSizeThatIsNotWholeMibOrTooSmallIsRefused() {
        for (long size : List.of(8L << 20, (32L << 20) + 4096)) {
            assertThatThrownBy(() -> SampleEstate.seed(dir, size, Clock.SYSTEM))
                    .isInstanceOfSatisfying(BoomerangException.class, e -> {
                        assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_INVALID_REQUEST);
                        assertThat(e.hint()).contains("64M");
                    });
        }
        assertThat(SampleEstate.read(dir)).isEmpty();
    }

    @Test
    void aManifestOfAnotherVersionIsRefused() throws Exception {
        Files.writeString(dir.resolve(SampleEstate.MANIFEST), "{\"version\": 9, \"disks\": []}");
        assertThatThrownBy(() -> SampleEstate.read(dir))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_ESTATE_CORRUPT);
                    assertThat(e.hint()).contains("--reset");
                });
    }

    private record Run(int exit, String output) {}

    private static Run run(String... command) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(command));
        cmd.set(0, GuestFilesystem.find(command[0]).orElseThrow(() -> new IllegalStateException(command[0] + " is not installed: run bin/test")).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static byte[] cat(Path image, String file) throws Exception {
        Process p = new ProcessBuilder(GuestFilesystem.find("debugfs").orElseThrow().toString(), "-R", "cat " + file, image.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static boolean zeros(Path image, long offset, long length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(offset);
            byte[] buf = new byte[1 << 20];
            long left = length;
            while (left > 0) {
                int n = f.read(buf, 0, (int) Math.min(buf.length, left));
                for (int i = 0; i < n; i++) {
                    if (buf[i] != 0) {
                        return false;
                    }
                }
                left -= n;
            }
        }
        return true;
    }

    private static long allocatedBytes(Path image) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", image.toString()).redirectErrorStream(true).start();
        String[] parts = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
