package org.boomerang.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.boomerang.blockdev.RawFileBlockDevice;

/** Image files for sync tests: random content with holes, copies, and their SHA-256. */
final class TestingImages {
    private TestingImages() {}

    /** A sparse image of {@code size} bytes with random data in about 60 % of its 64 KiB blocks, the rest holes. */
    static Path randomImage(Path file, long size, Random random) throws IOException {
        try (RawFileBlockDevice d = RawFileBlockDevice.create(file, size)) {
            int bs = 64 * 1024;
            for (long off = 0; off < size; off += bs) {
                if (random.nextInt(10) < 6) {
                    byte[] data = new byte[(int) Math.min(bs, size - off)];
                    random.nextBytes(data);
                    d.write(off, ByteBuffer.wrap(data), false);
                }
            }
            d.flush();
        }
        return file;
    }

    static Path copy(Path from, Path to) throws IOException {
        return Files.copy(from, to);
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(file));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static SyncDisk disk(Path file, boolean writable) throws IOException {
        return new SyncDisk(RawFileBlockDevice.open(file, !writable), file.getFileName().toString(), false);
    }
}
