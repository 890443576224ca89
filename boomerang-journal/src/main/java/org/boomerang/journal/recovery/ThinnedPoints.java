package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.boomerang.common.AtomicFile;
import org.boomerang.journal.JournalError;
import org.boomerang.journal.JournalException;

/**
 * The owner of {@code thinned.lsns}: the LSNs of marker records that retention thinned out. Their
 * recovery points are no longer listed or resolvable by id; their LSNs stay readable as {@code lsn:N}
 * until the window expires them.
 *
 * <h2>Format, version 1 (big-endian), written atomically</h2>
 * <pre>
 * thinned.lsns := magic:8 ("BMRGJTHN") version:u32 (=1) count:u64 lsn:u64*count crc:u32
 * </pre>
 */
public final class ThinnedPoints {
    public static final String FILE_NAME = "thinned.lsns";
    static final long MAGIC = 0x424d52474a54484eL; // "BMRGJTHN"
    /** Version 1: the first and only version. */
    static final int VERSION_1 = 1;

    private ThinnedPoints() {}

    public static void write(Path dir, Set<Long> lsns) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8 + 8 * lsns.size());
        b.putLong(MAGIC).putInt(VERSION_1).putLong(lsns.size());
        for (long l : new TreeSet<>(lsns)) {
            b.putLong(l);
        }
        AtomicFile.writeChecked(dir.resolve(FILE_NAME), b.flip());
    }

    public static TreeSet<Long> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        TreeSet<Long> out = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        ByteBuffer b = AtomicFile.readChecked(file);
        if (b == null || b.remaining() < 20 || b.getLong() != MAGIC || b.getInt() != VERSION_1) {
            throw new JournalException(JournalError.CORRUPT_METADATA, file + " is damaged",
                    "delete it to list every marker again (thinning is then redone by the next retention run)");
        }
        long n = b.getLong();
        if (n * 8 != b.remaining()) {
            throw new JournalException(JournalError.CORRUPT_METADATA, file + " has a wrong count",
                    "delete it to list every marker again (thinning is then redone by the next retention run)");
        }
        for (long i = 0; i < n; i++) {
            out.add(b.getLong());
        }
        return out;
    }
}
