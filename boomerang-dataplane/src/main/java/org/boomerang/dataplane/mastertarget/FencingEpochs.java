package org.boomerang.dataplane.mastertarget;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.roles.RoleError;
import org.boomerang.stream.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master target's fencing epochs, one per disk (stream), and the owner of their on-disk format. A
 * sender is admitted only at an epoch at or above the disk's; a higher one raises it. Whoever may take a
 * disk over (the data plane opening a failover view of the replica, or starting the reverse direction)
 * raises the disk's epoch here first, so the old source is refused by the master target itself, also
 * while no control server runs.
 *
 * <h2>Format (version 1)</h2>
 * One file per disk, {@code <data>/fencing/<diskId>}, replaced with {@link AtomicFile#writeChecked}
 * (temp file, fsync, atomic rename, directory fsync):
 * <pre>
 * file    := magic:u32 version:u32 epoch:u64 crc32c:u32     (big-endian, 20 bytes)
 * magic   := 0x424D4645 ("BMFE")
 * version := 1
 * crc32c  := CRC32C of the 16 bytes before it
 * </pre>
 * No file means epoch 0. A file that is short, fails its checksum or has another magic or version is
 * refused ({@link RoleError#FENCING_STATE_DAMAGED}): guessing an epoch could let a fenced source back in.
 *
 * <p>Thread-safety: thread-safe; {@link #raise} is serialised, reads are lock-free after the first load.
 */
public final class FencingEpochs {
    private static final Logger LOG = LoggerFactory.getLogger(FencingEpochs.class);
    static final int MAGIC = 0x424D4645;
    /** Version 1: magic, version, epoch. */
    static final int VERSION = 1;
    static final int BODY_BYTES = 16;
    static final String DIRECTORY = "fencing";

    private final Path dir;
    private final ConcurrentHashMap<String, Long> epochs = new ConcurrentHashMap<>();

    /** The epochs kept under {@code data}/fencing. */
    public FencingEpochs(Path data) {
        this.dir = requireNonNull(data, "data is null").resolve(DIRECTORY);
    }

    /** The file of a disk's epoch. */
    Path file(String disk) {
        return dir.resolve(disk);
    }

    /** The disk's epoch (0 when it was never raised). */
    public long epoch(String disk) throws IOException {
        Long e = epochs.get(disk);
        if (e != null) {
            return e;
        }
        long read = read(disk);
        Long prior = epochs.putIfAbsent(disk, read);
        return prior == null ? read : prior;
    }

    /**
     * Raises the disk's epoch to {@code epoch} (durably, before it returns) when it is higher; returns the
     * disk's epoch afterwards.
     */
    public synchronized long raise(String disk, long epoch) throws IOException {
        long current = epoch(disk);
        if (epoch <= current) {
            return current;
        }
        Files.createDirectories(dir);
        ByteBuffer b = ByteBuffer.allocate(BODY_BYTES).putInt(MAGIC).putInt(VERSION).putLong(epoch).flip();
        AtomicFile.writeChecked(file(disk), b);
        epochs.put(disk, epoch);
        LOG.info("disk={} fencing epoch raised from {} to {}", disk, current, epoch);
        return epoch;
    }

    /**
     * Admits a sender of {@code disk} at {@code senderEpoch}: a higher epoch than the disk's raises it, a
     * lower one is refused with {@code FENCED} naming both.
     */
    public void admit(String disk, long senderEpoch, String sender) throws IOException {
        long current = raise(disk, senderEpoch);
        if (senderEpoch < current) {
            throw fenced(disk, senderEpoch, current, sender);
        }
    }

    /** The refusal of a sender at {@code senderEpoch} when the disk is at {@code current}. */
    public static StreamException fenced(String disk, long senderEpoch, long current, String sender) {
        return StreamException.fenced(current, "disk " + disk + ": the sender " + sender + " is at fencing epoch " + senderEpoch
                + ", the master target at " + current + ": another source has taken the disk over (a failover or the reverse"
                + " direction)", "the old source stops replicating and keeps its writes in its dirty map; protect the disk again"
                + " from the machine that owns it now");
    }

    private long read(String disk) throws IOException {
        Path f = file(disk);
        if (!Files.exists(f)) {
            return 0;
        }
        ByteBuffer b = AtomicFile.readChecked(f);
        if (b == null || b.remaining() != BODY_BYTES) {
            throw damaged(f, "its checksum or length does not match");
        }
        int magic = b.getInt();
        int version = b.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw damaged(f, "magic=0x" + Integer.toHexString(magic) + " version=" + version + " is not a fencing epoch of version "
                    + VERSION);
        }
        return b.getLong();
    }

    private static BoomerangException damaged(Path f, String why) {
        return new BoomerangException(RoleError.FENCING_STATE_DAMAGED, "the fencing epoch file " + f + " is damaged: " + why,
                "restore it from a backup, or write it again with an epoch above every source's (the master target refuses the"
                        + " disk's streams until then)");
    }
}
