package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.common.AtomicFile;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;

/**
 * The owner of {@code base.ref}: present when the journal's base is an existing disk (an image file or
 * a block device outside the directory) instead of {@code base.img}. The reverse journal of an
 * original-location recovery starts from the on-premises disk as it is, without copying it through the
 * journal; retention then folds expired records into that disk.
 *
 * <h2>Format, version 1 (big-endian), written atomically</h2>
 * <pre>
 * base.ref := magic:8 ("BMRGJREF") version:u32 (=1) pathLength:u16 path:utf8 diskSize:u64 crc:u32
 * </pre>
 * {@code path} is absolute. The disk must be used by nothing else while the journal owns it.
 *
 * @param disk the absolute path of the disk that is the base image
 * @param diskSize its size in bytes when the journal was created
 */
public record BaseReference(Path disk, long diskSize) {
    public static final String FILE_NAME = "base.ref";
    static final long MAGIC = 0x424d52474a524546L; // "BMRGJREF"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;

    public void write(Path dir) throws IOException {
        byte[] path = disk.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + path.length + 8);
        b.putLong(MAGIC).putInt(VERSION_1).putShort((short) path.length).put(path).putLong(diskSize);
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    /** The reference in {@code dir}, or null when the journal keeps its own {@code base.img}. */
    public static BaseReference read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        try {
            if (b == null || b.getLong() != MAGIC || b.getInt() != VERSION_1) {
                throw damaged(file);
            }
            byte[] path = new byte[b.getShort() & 0xffff];
            b.get(path);
            long size = b.getLong();
            if (b.hasRemaining()) {
                throw damaged(file);
            }
            return new BaseReference(Path.of(new String(path, StandardCharsets.UTF_8)), size);
        } catch (java.nio.BufferUnderflowException e) {
            throw damaged(file);
        }
    }

    private static JournalException damaged(Path file) {
        return new JournalException(JournalError.CORRUPT_METADATA, file + " is damaged (checksum, magic or version)",
                "the journal's base disk is unknown; restore the journal directory from a copy");
    }
}
