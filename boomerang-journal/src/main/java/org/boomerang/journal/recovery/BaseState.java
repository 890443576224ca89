package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;

/**
 * The owner of the base-state file {@code base.state}: which LSN the base image {@code base.img}
 * holds, and whether retention was applying records to it when the process stopped.
 *
 * <h2>Format, version 1 (big-endian), written atomically ({@link AtomicFile})</h2>
 * <pre>
 * base.state := magic:8 ("BMRGJBAS") version:u32 (=1) baseLsn:u64 applyingThrough:u64 crc:u32
 * </pre>
 * {@code applyingThrough} is 0 when the base is at rest. Retention writes
 * {@code (base, target)} before it touches the image, applies records {@code (base, target]} in LSN
 * order, fsyncs the image, then writes {@code (target, 0)} and only then deletes segments. Recovery
 * that finds {@code applyingThrough > 0} applies {@code (base, applyingThrough]} again: re-applying
 * records in order is idempotent, so a crash at any step loses nothing.
 *
 * @param baseLsn the LSN whose state the base image holds (0 = the empty disk)
 * @param applyingThrough the retention target in progress, or 0
 */
public record BaseState(Lsn baseLsn, long applyingThrough) {
    public static final String FILE_NAME = "base.state";
    static final long MAGIC = 0x424d52474a424153L; // "BMRGJBAS"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;

    public boolean applying() {
        return applyingThrough > 0;
    }

    public void write(Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8 + 8);
        b.putLong(MAGIC).putInt(VERSION_1).putLong(baseLsn.value()).putLong(applyingThrough);
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    public static BaseState read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new JournalException(JournalError.CORRUPT_METADATA, "the journal " + dir + " has no " + FILE_NAME,
                    "the directory is incomplete; restore it from a copy");
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        if (b == null || b.remaining() != 28 || b.getLong() != MAGIC || b.getInt() != VERSION_1) {
            throw new JournalException(JournalError.CORRUPT_METADATA, file + " is damaged (checksum, magic or version)",
                    "the base image's LSN is unknown; restore the journal directory from a copy");
        }
        return new BaseState(Lsn.of(b.getLong()), b.getLong());
    }
}
