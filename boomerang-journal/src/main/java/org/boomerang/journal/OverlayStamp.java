package org.boomerang.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.Lsn;

/**
 * The owner of an overlay directory's stamp file {@code overlay.stamp}: which journal and point the
 * overlay sits on and the overlay's own generation (the lineage of the failed-over disk).
 *
 * <h2>Format, version 1 (big-endian), written atomically</h2>
 * <pre>
 * overlay.stamp := magic:8 ("BMRGOVLY") version:u32 (=1) journalGenerationMsb:u64 journalGenerationLsb:u64
 *                  diskSize:u64 atLsn:u64 overlayGenerationMsb:u64 overlayGenerationLsb:u64 crc:u32
 * </pre>
 */
record OverlayStamp(UUID journalGeneration, long diskSize, Lsn at, UUID overlayGeneration) {
    static final String FILE_NAME = "overlay.stamp";
    static final long MAGIC = 0x424d52474f564c59L; // "BMRGOVLY"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;

    void write(Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 16 + 8 + 8 + 16);
        b.putLong(MAGIC).putInt(VERSION_1).putLong(journalGeneration.getMostSignificantBits())
                .putLong(journalGeneration.getLeastSignificantBits()).putLong(diskSize).putLong(at.value())
                .putLong(overlayGeneration.getMostSignificantBits()).putLong(overlayGeneration.getLeastSignificantBits());
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    /** The stamp in {@code dir}, or null when there is none. */
    static OverlayStamp read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        if (b == null || b.remaining() != 60 || b.getLong() != MAGIC || b.getInt() != VERSION_1) {
            throw new JournalException(JournalError.CORRUPT_METADATA, file + " is damaged",
                    "the overlay cannot be trusted; fail over again into a new overlay directory");
        }
        return new OverlayStamp(new UUID(b.getLong(), b.getLong()), b.getLong(), Lsn.of(b.getLong()),
                new UUID(b.getLong(), b.getLong()));
    }
}
