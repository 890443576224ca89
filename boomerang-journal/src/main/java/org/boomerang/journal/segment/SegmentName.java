package org.boomerang.journal.segment;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.boomerang.common.Lsn;

/**
 * Segment file names: the first LSN zero-padded to 20 digits plus {@code .seg}, so that a directory
 * listing sorts them in LSN order (Kafka's {@code LogFileUtils}).
 */
public final class SegmentName {
    public static final String SUFFIX = ".seg";
    private static final int DIGITS = 20;

    private SegmentName() {}

    public static String of(Lsn firstLsn) {
        return String.format("%0" + DIGITS + "d", firstLsn.value()) + SUFFIX;
    }

    /** The first LSN a file name encodes, or empty when the name is not a segment name. */
    public static OptionalLong parse(Path file) {
        String n = file.getFileName().toString();
        if (!n.endsWith(SUFFIX) || n.length() != DIGITS + SUFFIX.length()) {
            return OptionalLong.empty();
        }
        String digits = n.substring(0, DIGITS);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }
}
