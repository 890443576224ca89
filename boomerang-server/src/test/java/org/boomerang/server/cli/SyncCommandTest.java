package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.dataplane.roles.Replication;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.stream.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code boomerang sync} end to end through the command line: exit codes, text and JSON reports. */
class SyncCommandTest {
    private static final long SIZE = 2L * 1024 * 1024 + 4096;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void fullThenVerifyThenAPlantedDifference() throws IOException {
        Path source = image("s.img", 1);
        Path target = dir.resolve("t.img");

        assertThat(run("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "full")).isZero();
        assertThat(out.toString()).contains("sync full:", "blocks changed");
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(source));

        assertThat(run("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "verify",
                "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"mode\":\"verify\"", "\"identical\":true");

        try (RawFileBlockDevice t = RawFileBlockDevice.open(target, false)) {
            t.write(70_000, ByteBuffer.wrap(new byte[] {42}), true);
        }
        int code = run("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "verify");
        assertThat(code).isEqualTo(7);
        assertThat(out.toString()).contains("differs  offset=65536 length=65536");
        assertThat(err.toString()).contains("SYNC_VERIFY_FOUND_DIFFERENCES", "--mode delta");

        assertThat(run("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "delta",
                "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"mode\":\"delta\"", "\"blocksChanged\":1", "\"bytesSent\":65536",
                "\"sourceBytesRead\":", "\"targetBytesRead\":", "\"bytesSentCompressed\":", "\"elapsedSeconds\":");
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void trackedWithMismatchedGenerationsIsRefusedWithItsCode() throws IOException {
        Path source = image("s.img", 2);
        Path target = image("t.img", 3);
        Path a = dir.resolve("a.map");
        Path b = dir.resolve("b.map");
        new ChangeMap(SIZE, ChangeMap.DEFAULT_BLOCK_SIZE, UUID.randomUUID()).writeTo(a);
        new ChangeMap(SIZE, ChangeMap.DEFAULT_BLOCK_SIZE, UUID.randomUUID()).writeTo(b);
        byte[] before = Files.readAllBytes(target);

        int code = run("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "tracked",
                "--changes", a.toString(), b.toString());

        assertThat(code).isEqualTo(5);
        assertThat(err.toString()).contains("SYNC_TRACKED_GENERATION_MISMATCH", "run 'boomerang sync --mode delta' instead");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
    }

    @Test
    void aMissingSourceSaysSo() {
        int code = run("sync", "--source", dir.resolve("nope.img").toString(), "--target", dir.resolve("t.img").toString(),
                "--mode", "delta");
        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("NOT_FOUND");
    }

    @Test
    void deltaWithSourceDigestsFromTheAgentReadsOnlyTheDifferingBlocksOverNbd() throws Exception {
        long size = 8L << 20;
        try (Replication a = Replication.start(dir.resolve("a"), Replication.Options.of("disk0", size, null))) {
            byte[] data = new byte[(int) size];
            new Random(4).nextBytes(data);
            try (NbdBlockDevice d = NbdBlockDevice.open(NbdUri.parse(a.nbdUri("disk0")))) {
                d.write(0, ByteBuffer.wrap(data), false);
                d.flush();
            }
            Path target = dir.resolve("t.img");
            Files.write(target, data);
            try (RawFileBlockDevice t = RawFileBlockDevice.open(target, false)) {
                t.write(3 * 65536 + 7, ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
                t.write(100 * 65536, ByteBuffer.wrap(new byte[] {4}), true);
            }
            String digests = "127.0.0.1:" + a.agent().digestsPort();
            String certs = dir.resolve("a/certs").toString();

            assertThat(run("sync", "--source", a.nbdUri("disk0"), "--target", target.toString(), "--mode", "delta",
                    "--source-digests", digests, "--tls-dir", certs, "--output", "json")).as(err.toString()).isZero();
            assertThat(out.toString()).contains("\"blocksChanged\":2", "\"bytesSent\":131072", "\"sourceBytesRead\":131072",
                    "source digested next to the disk by " + digests + " (agent image disk0.img): 10485760 bytes read there");
            // 8 MiB for the region digests, then the two differing 1 MiB regions again for their block digests.
            assertThat(Files.readAllBytes(target)).isEqualTo(data);

            assertThat(run("sync", "--source", a.nbdUri("disk0"), "--target", target.toString(), "--mode", "verify",
                    "--source-digests", digests + "/disk0", "--tls-dir", certs)).isZero();
            assertThat(out.toString()).contains("identical", "digested next to the disk");

            Path other = dir.resolve("other");
            CertificateAuthority.initDirectory(other, Set.of());
            int code = run("sync", "--source", a.nbdUri("disk0"), "--target", target.toString(), "--mode", "verify",
                    "--source-digests", digests, "--tls-dir", other.toString());
            assertThat(code).isNotZero();
            assertThat(err.toString()).contains("PEER_CERTIFICATE_REFUSED");

            assertThat(run("sync", "--source", a.nbdUri("disk0"), "--target", target.toString(), "--mode", "full",
                    "--source-digests", digests, "--tls-dir", certs)).isEqualTo(2);
            assertThat(err.toString()).contains("SYNC_BAD_OPTION", "delta and verify only");
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path image(String name, long seed) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(seed);
        try (RawFileBlockDevice d = RawFileBlockDevice.create(file, SIZE)) {
            byte[] data = new byte[(int) (SIZE / 2)];
            random.nextBytes(data);
            d.write(4096, ByteBuffer.wrap(data), true);
        }
        return file;
    }
}
