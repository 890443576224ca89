package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.boomerang.common.ChecksummedFile;
import org.boomerang.common.DiskId;

/**
 * The identity and LSN watermarks of one disk's capture, and the owner of the {@code capture-state}
 * file format; it stamps the state directory (as BookKeeper's {@code Cookie}) so that a directory of
 * another disk is refused.
 *
 * <h2>File {@code capture-state}, version 1 (all integers big-endian)</h2>
 * <pre>
 * file     := magic:8 ("BMRGCAPS") version:u32 (=1) diskSize:u64 extentBytes:u32
 *             lineageMsb:u64 lineageLsb:u64 lsnCeiling:u64 durableAtTarget:u64
 *             diskIdLength:u16 diskId:utf8*diskIdLength crc:u32
 *                         crc = CRC32C of every byte before it
 * </pre>
 * {@code lineage} is drawn when the directory is created and names this disk's change stream: the dirty
 * map carries it too. {@code lsnCeiling} bounds every LSN the capture ever issued: it is raised (and the
 * file rewritten) in steps of {@link #CEILING_STEP} before an LSN passes it, so a receiver claiming a
 * higher LSN holds another lineage's replica. {@code durableAtTarget} is a lower bound of the newest LSN
 * the master target acknowledged as durable: a receiver that resumes below it lost acknowledged changes.
 * The file is replaced whole through {@link MetadataWriter}; its presence marks a complete directory
 * (it is written after the first dirty map).
 */
record CaptureState(DiskId disk, long diskSize, int extentBytes, UUID lineage, long lsnCeiling, long durableAtTarget) {
    static final String FILE_NAME = "capture-state";
    static final long MAGIC = 0x424d524743415053L; // "BMRGCAPS"
    static final int VERSION_1 = 1;
    /** How far the ceiling is raised past the next LSN: one metadata write per this many changes. */
    static final long CEILING_STEP = 1L << 20;
    private static final int FIXED_SIZE = 8 + 4 + 8 + 4 + 8 + 8 + 8 + 8 + 2;

    CaptureState {
        requireNonNull(disk, "disk is null");
        requireNonNull(lineage, "lineage is null");
    }

    CaptureState withCeiling(long ceiling) {
        return new CaptureState(disk, diskSize, extentBytes, lineage, ceiling, durableAtTarget);
    }

    CaptureState withDurableAtTarget(long durable) {
        return new CaptureState(disk, diskSize, extentBytes, lineage, lsnCeiling, durable);
    }

    void write(Path dir, MetadataWriter writer) throws IOException {
        byte[] id = disk.value().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(FIXED_SIZE + id.length + 4).order(ByteOrder.BIG_ENDIAN);
        buf.putLong(MAGIC).putInt(VERSION_1).putLong(diskSize).putInt(extentBytes)
                .putLong(lineage.getMostSignificantBits()).putLong(lineage.getLeastSignificantBits())
                .putLong(lsnCeiling).putLong(durableAtTarget).putShort((short) id.length).put(id);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue()).flip();
        writer.replace(dir.resolve(FILE_NAME), buf);
    }

    /** The state in {@code dir}, or null when the directory holds none (a fresh directory). */
    static CaptureState read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < FIXED_SIZE + 4) {
            throw damaged(file, "it is " + bytes.length + " bytes, shorter than a state");
        }
        ByteBuffer buf = ChecksummedFile.open(bytes, MAGIC, VERSION_1, "bad magic", why -> damaged(file, why));
        long diskSize = buf.getLong();
        int extentBytes = buf.getInt();
        UUID lineage = new UUID(buf.getLong(), buf.getLong());
        long ceiling = buf.getLong();
        long durable = buf.getLong();
        int idLength = Short.toUnsignedInt(buf.getShort());
        if (idLength == 0 || idLength != bytes.length - FIXED_SIZE - 4) {
            throw damaged(file, "disk id length " + idLength + " does not match the file");
        }
        byte[] id = new byte[idLength];
        buf.get(id);
        return new CaptureState(new DiskId(new String(id, StandardCharsets.UTF_8)), diskSize, extentBytes, lineage, ceiling, durable);
    }

    private static CaptureException damaged(Path file, String why) {
        return new CaptureException(CaptureError.STATE_DAMAGED, "capture state " + file + " is damaged: " + why,
                "remove the state directory to start a full initial copy of the disk");
    }
}
