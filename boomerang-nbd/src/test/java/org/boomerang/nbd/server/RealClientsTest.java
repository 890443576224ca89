package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in-process on an ephemeral port, driven by the real peers as subprocesses: qemu-img, qemu-io,
 * nbdinfo, nbdcopy and fio. Outcomes are checked in the image file itself, not only in what the client says.
 */
class RealClientsTest {
    private static final int MIB = 1 << 20;
    private static final int SIZE = 64 * MIB;

    @TempDir
    Path dir;

    private Path image;
    private RawFileBlockDevice disk;
    private RawFileBlockDevice second;
    private NbdServer server;

    @BeforeEach
    void start() throws Exception {
        image = dir.resolve("d.img");
        disk = RawFileBlockDevice.create(image, SIZE);
        second = RawFileBlockDevice.create(dir.resolve("e.img"), 16 * MIB);
        server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
                .export("d", disk, "test disk").export("e", second, "second disk").build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        disk.close();
        second.close();
    }

    private String uri(String export) {
        return "nbd://127.0.0.1:" + server.port() + "/" + export;
    }

    private ExternalTools.Result run(String... command) throws Exception {
        return ExternalTools.run(dir, command);
    }

    private ExternalTools.Result qemuIo(String export, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(uri(export));
        ExternalTools.Result r = run(cmd.toArray(String[]::new)).ok();
        assertThat(r.out() + r.err()).doesNotContain("Pattern verification failed").doesNotContain("error");
        return r;
    }

    private byte[] fileBytes(long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        try (var ch = java.nio.channels.FileChannel.open(image)) {
            ch.read(b, offset);
        }
        return b.array();
    }

    @Test
    void qemuImgInfoConvertAndCompare() throws Exception {
        assertThat(run("qemu-img", "info", "-f", "raw", uri("d")).ok().out()).contains("virtual size: 64 MiB");
        Path source = dir.resolve("src.img");
        byte[] random = new byte[SIZE];
        new Random(1).nextBytes(random);
        java.util.Arrays.fill(random, 8 * MIB, 24 * MIB, (byte) 0); // a zero run for convert to skip
        Files.write(source, random);
        run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), uri("d")).ok();
        assertThat(run("qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), uri("d")).ok().out())
                .contains("Images are identical");
        assertThat(sha256(Files.readAllBytes(image))).isEqualTo(sha256(random));
        qemuIo("d", "write -P 0x01 40M 512");
        assertThat(run("qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), uri("d")).exitCode()).isEqualTo(1);
    }

    @Test
    void qemuIoPatternsUnalignedFuaDiscardAndWriteZeroes() throws Exception {
        qemuIo("d", "write -P 0xa5 1000 70000", "read -P 0xa5 1000 70000", "read -P 0 0 1000",
                "write -f -P 0x3c 5M 1M", "read -P 0x3c 5M 1M",
                "write -P 0x77 8M 2M", "discard 8M 1M", "read -P 0 8M 1M", "read -P 0x77 9M 1M",
                "write -z 9M 4096", "read -P 0 9M 4096", "write -z -u 9M 512K", "read -P 0 9M 512K",
                "read -P 0x77 9728K 512K", "flush");
        assertThat(fileBytes(1000, 70000)).containsOnly((byte) 0xa5);
        assertThat(fileBytes(999, 1)).containsOnly(0);
        assertThat(fileBytes(71000, 1)).containsOnly(0);
        assertThat(fileBytes(5 * MIB, MIB)).containsOnly((byte) 0x3c);
        assertThat(fileBytes(8 * MIB, MIB + 512 * 1024)).containsOnly(0);
        assertThat(fileBytes(9 * MIB + 512 * 1024, 512 * 1024)).containsOnly((byte) 0x77);
    }

    @Test
    void nbdinfoMapShowsHolesAfterTrim() throws Exception {
        qemuIo("d", "write -P 0x11 0 4M", "discard 1M 2M");
        String map = run("nbdinfo", "--map", uri("d")).ok().out();
        // "offset length type description", one line per extent
        List<String[]> extents = map.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
        assertThat(extents).anySatisfy(e -> {
            assertThat(Long.parseLong(e[0])).isEqualTo(0);
            assertThat(e[3]).isEqualTo("data");
        });
        assertThat(extents).anySatisfy(e -> {
            assertThat(Long.parseLong(e[0])).isEqualTo(MIB);
            assertThat(Long.parseLong(e[1])).isEqualTo(2 * MIB);
            assertThat(e[3]).startsWith("hole");
        });
        assertThat(extents).anySatisfy(e -> {
            assertThat(Long.parseLong(e[0])).isEqualTo(4 * MIB);
            assertThat(e[3]).startsWith("hole");
        });
        assertThat(run("nbdinfo", "--size", uri("d")).ok().out().trim()).isEqualTo(String.valueOf(SIZE));
        assertThat(run("nbdinfo", "--list", "nbd://127.0.0.1:" + server.port()).ok().out())
                .contains("export=\"d\"", "export=\"e\"", "second disk");
    }

    @Test
    void nbdcopyBothWaysKeepsTheChecksum() throws Exception {
        Path source = dir.resolve("src.img");
        byte[] random = new byte[SIZE];
        Random r = new Random(7);
        for (int block = 0; block < SIZE / MIB; block += 2) { // half data, half holes
            byte[] b = new byte[MIB];
            r.nextBytes(b);
            System.arraycopy(b, 0, random, block * MIB, MIB);
        }
        Files.write(source, random);
        run("nbdcopy", source.toString(), uri("d")).ok();
        assertThat(sha256(Files.readAllBytes(image))).isEqualTo(sha256(random));
        Path back = dir.resolve("back.img");
        run("nbdcopy", uri("d"), back.toString()).ok();
        assertThat(sha256(Files.readAllBytes(back))).isEqualTo(sha256(random));
    }

    @Test
    void fioWithVerifyOverTheNbdEngine() throws Exception {
        ExternalTools.Result r = run("fio", "--name=verify", "--ioengine=nbd", "--uri=" + uri("d"), "--rw=randwrite", "--bs=4k",
                "--size=16M", "--iodepth=16", "--verify=crc32c", "--do_verify=1", "--verify_fatal=1").ok();
        // every block written was read back and checked (fio exits non-zero on a mismatch with verify_fatal)
        assertThat(r.out()).contains("err= 0").contains("issued rwts: total=4096,4096");
        ExternalTools.Result big = run("fio", "--name=seq", "--ioengine=nbd", "--uri=" + uri("d"), "--rw=write", "--bs=1M",
                "--size=32M", "--iodepth=16", "--numjobs=2", "--verify=crc32c", "--do_verify=1", "--verify_fatal=1").ok();
        assertThat(big.out()).contains("err= 0");
    }

    @Test
    void manyClientsOnSeveralExportsAtOnce() throws Exception {
        List<CompletableFuture<ExternalTools.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String export = i % 2 == 0 ? "d" : "e";
            String pattern = String.format("0x%02x", 0x10 + i);
            String at = (i * 2) + "M";
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return qemuIo(export, "write -P " + pattern + " " + at + " 2M", "read -P " + pattern + " " + at + " 2M");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var f : runs) {
            f.join();
        }
        assertThat(fileBytes(0, 2 * MIB)).containsOnly((byte) 0x10);
        assertThat(fileBytes(4 * MIB, 2 * MIB)).containsOnly((byte) 0x12);
        ByteBuffer e = ByteBuffer.allocate(2 * MIB);
        second.read(2 * MIB, e);
        assertThat(e.array()).containsOnly((byte) 0x11);
    }

    @Test
    void closeEndsConnectionsAfterTheirRequestsAndFlushes() throws Exception {
        String uri = uri("d");
        TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false);
        c.request(0, NbdProtocol.CMD_WRITE, 1, 0, 4);
        c.send(new byte[] {1, 2, 3, 4});
        assertThat(c.readSimple().error()).isZero();
        assertThat(server.connectionCount()).isEqualTo(1);
        server.close();
        assertThat(c.serverClosed()).isTrue();
        assertThat(server.connectionCount()).isZero();
        assertThat(fileBytes(0, 4)).containsExactly(1, 2, 3, 4);
        c.close();
        assertThat(run("nbdinfo", "--size", uri).exitCode()).isNotZero();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
