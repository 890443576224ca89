package org.boomerang.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.openhft.hashing.LongTupleHashFunction;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest loop both digest servers run: every block's digest is the XXH3-128 of the file's bytes
 * (read back independently), holes are not read yet digest like written zeroes, a short last block is
 * digested at its length, and a range digested in pieces equals the range digested whole.
 */
class RangeDigesterTest {
    private static final int BLOCK = 4096;
    private static final LongTupleHashFunction XXH3_128 = LongTupleHashFunction.xx128();

    @TempDir
    Path dir;

    @Test
    void digestsEqualTheHashOfTheBytesAndHolesAreNotRead() throws Exception {
        Path image = dir.resolve("disk.img");
        long size = 8L * BLOCK + 1000;
        byte[] data = new byte[2 * BLOCK];
        new Random(7).nextBytes(data);
        try (RawFileBlockDevice device = RawFileBlockDevice.create(image, size)) {
            device.write(BLOCK, ByteBuffer.wrap(data), false);
            device.write(5L * BLOCK, ByteBuffer.allocate(BLOCK), false);
            device.write(8L * BLOCK, ByteBuffer.wrap(data, 0, 1000), false);
            device.flush();
        }
        byte[] file = Files.readAllBytes(image);
        try (RawFileBlockDevice device = RawFileBlockDevice.open(image, true)) {
            long[] out = new long[2 + 9 * 2];
            long read = RangeDigester.digest(device, 0, (int) size, BLOCK, ByteBuffer.allocateDirect(16 * BLOCK), out, 2);
            for (int b = 0; b < 9; b++) {
                int length = (int) Math.min(BLOCK, size - (long) b * BLOCK);
                assertThat(Arrays.copyOfRange(out, 2 + b * 2, 4 + b * 2)).as("block %d", b)
                        .containsExactly(XXH3_128.hashBytes(file, b * BLOCK, length));
            }
            assertThat(Arrays.copyOfRange(out, 2 + 5 * 2, 4 + 5 * 2)).as("written zeroes digest like a hole")
                    .containsExactly(Arrays.copyOfRange(out, 2, 4));
            assertThat(read).as("only the written blocks are read").isLessThanOrEqualTo(3L * BLOCK + 1000).isGreaterThanOrEqualTo(2L * BLOCK + 1000);

            long[] pieces = new long[9 * 2];
            ByteBuffer small = ByteBuffer.allocateDirect(3 * BLOCK);
            for (int first = 0; first < 9; first += 3) {
                long offset = (long) first * BLOCK;
                RangeDigester.digest(device, offset, (int) Math.min(3L * BLOCK, size - offset), BLOCK, small, pieces, first * 2);
            }
            assertThat(pieces).containsExactly(Arrays.copyOfRange(out, 2, out.length));
        }
    }

    @Test
    void aRangeLargerThanTheBufferOrOffABlockBoundaryIsRefused() throws Exception {
        try (RawFileBlockDevice device = RawFileBlockDevice.create(dir.resolve("d.img"), 4L * BLOCK)) {
            long[] out = new long[8];
            assertThatThrownBy(() -> RangeDigester.digest(device, 0, 4 * BLOCK, BLOCK, ByteBuffer.allocate(BLOCK), out, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RangeDigester.digest(device, 100, BLOCK, BLOCK, ByteBuffer.allocate(4 * BLOCK), out, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
