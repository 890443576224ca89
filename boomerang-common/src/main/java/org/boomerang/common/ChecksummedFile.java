package org.boomerang.common;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The opening checks shared by the small metadata files whose layout is
 * {@code magic:u64 version:u32 … crc32c:u32} (big-endian; the CRC32C covers every byte before it): the
 * change map, the agent's dirty map and its capture state. Each file's owner class documents the rest of its
 * format and checks its own length first.
 */
public final class ChecksummedFile {
    private ChecksummedFile() {
    }

    /**
     * Checks the trailing checksum, then the magic, then the version, in that order, and returns a big-endian
     * buffer over {@code bytes} positioned just after the version.
     *
     * @param badMagic the reason given when the magic differs (e.g. "bad magic")
     * @param damage makes the owner's typed error from a reason ("checksum mismatch", {@code badMagic},
     *     "unsupported version N")
     */
    public static ByteBuffer open(byte[] bytes, long magic, int version, String badMagic,
            Function<String, ? extends RuntimeException> damage) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != buf.getInt(bytes.length - 4)) {
            throw damage.apply("checksum mismatch");
        }
        if (buf.getLong() != magic) {
            throw damage.apply(badMagic);
        }
        int found = buf.getInt();
        if (found != version) {
            throw damage.apply("unsupported version " + found);
        }
        return buf;
    }
}
