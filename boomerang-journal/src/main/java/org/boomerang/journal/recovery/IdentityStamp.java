package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.DiskId;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;
import org.boomerang.journal.JournalIdentity;

/**
 * The owner of the identity stamp file {@code identity} of a journal directory (BookKeeper's
 * {@code Cookie}): written once when the journal is created and checked on every open, so that a
 * journal is never opened as another disk's.
 *
 * <h2>Format, version 1 (big-endian), written atomically ({@link AtomicFile})</h2>
 * <pre>
 * identity := magic:8 ("BMRGJIDN") version:u32 (=1) diskIdLength:u16 diskId:utf8
 *             diskSize:u64 blockSize:u32 generationMsb:u64 generationLsb:u64 crc:u32
 * </pre>
 */
public final class IdentityStamp {
    public static final String FILE_NAME = "identity";
    static final long MAGIC = 0x424d52474a49444eL; // "BMRGJIDN"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;

    private IdentityStamp() {}

    public static void write(Path dir, JournalIdentity id) throws IOException {
        byte[] disk = id.diskId().value().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + disk.length + 8 + 4 + 16);
        b.putLong(MAGIC).putInt(VERSION_1).putShort((short) disk.length).put(disk).putLong(id.diskSize())
                .putInt(id.blockSize()).putLong(id.generation().getMostSignificantBits())
                .putLong(id.generation().getLeastSignificantBits());
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    public static JournalIdentity read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new JournalException(JournalError.NOT_A_JOURNAL, "no journal in " + dir + " (no identity stamp)",
                    "create one with 'boomerang journal record " + dir + " --size SIZE', or check the path");
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        try {
            if (b == null || b.getLong() != MAGIC) {
                throw damaged(file, "checksum or magic mismatch");
            }
            int version = b.getInt();
            if (version != VERSION_1) {
                throw damaged(file, "unsupported version " + version);
            }
            byte[] disk = new byte[b.getShort() & 0xffff];
            b.get(disk);
            long size = b.getLong();
            int blockSize = b.getInt();
            UUID generation = new UUID(b.getLong(), b.getLong());
            return new JournalIdentity(new DiskId(new String(disk, StandardCharsets.UTF_8)), size, blockSize, generation);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw damaged(file, e.toString());
        }
    }

    /** Refuses a directory whose stamp differs from what the caller expects. */
    public static void check(Path dir, JournalIdentity found, JournalIdentity expected) {
        if (!found.equals(expected)) {
            throw new JournalException(JournalError.IDENTITY_MISMATCH,
                    "journal " + dir + " belongs to disk=" + found.diskId() + " size=" + found.diskSize()
                            + " blockSize=" + found.blockSize() + " generation=" + found.generation()
                            + ", not to disk=" + expected.diskId() + " size=" + expected.diskSize()
                            + " blockSize=" + expected.blockSize() + " generation=" + expected.generation(),
                    "point to the journal directory of this disk, or start a new journal in an empty directory");
        }
    }

    private static JournalException damaged(Path file, String why) {
        return new JournalException(JournalError.IDENTITY_DAMAGED, "identity stamp " + file + " is damaged: " + why,
                "the directory cannot be trusted as this disk's journal; restore it from a copy or start a new journal");
    }
}
