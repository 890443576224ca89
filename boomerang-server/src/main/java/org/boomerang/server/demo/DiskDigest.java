package org.boomerang.server.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;

/**
 * The SHA-256 of a whole disk, read in {@link #CHUNK} pieces: through NBD (the disk as a guest or
 * the recovery site sees it), from an image file, or from any {@link BlockDevice}. Two disks are
 * equal when their digests are. Stateless and thread-safe.
 */
public final class DiskDigest {
    /** The read size: the NBD client's largest request is 32 MiB; 1 MiB keeps memory small and reads fast. */
    public static final int CHUNK = 1 << 20;

    private DiskDigest() {}

    /** Reads the export at {@code uri} from start to end. */
    public static String sha256(NbdUri uri, LongConsumer bytesDone) throws IOException {
        try (NbdBlockDevice d = NbdBlockDevice.open(uri)) {
            return sha256(d, bytesDone);
        }
    }

    /** Reads the raw image file {@code image} from start to end. */
    public static String sha256(Path image) throws IOException {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(image, true)) {
            return sha256(d, done -> {});
        }
    }

    /** Reads {@code device} from start to end; {@code bytesDone} hears the bytes read so far after each chunk. */
    public static String sha256(BlockDevice device, LongConsumer bytesDone) throws IOException {
        MessageDigest md = newDigest();
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        long size = device.size();
        for (long at = 0; at < size; at += CHUNK) {
            buf.clear().limit((int) Math.min(CHUNK, size - at));
            device.read(at, buf);
            buf.flip();
            md.update(buf);
            bytesDone.accept(Math.min(size, at + CHUNK));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
