package org.boomerang.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ChangeMap;

/**
 * Makes two copies of a disk diverge the ways the issue lists — single bytes, block edges, trimmed
 * ranges, runs of new data, the short last block — and marks every touched block in a change map,
 * as the journal and an overlay would.
 */
final class Divergence {
    static final int BLOCK = 64 * 1024;

    private final Random random;

    Divergence(Random random) {
        this.random = random;
    }

    /** Applies {@code count} random changes to {@code device} and marks them in {@code map}. */
    void apply(BlockDevice device, ChangeMap map, int count) throws IOException {
        long size = device.size();
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(5)) {
                case 0 -> { // single byte
                    long off = (long) (random.nextDouble() * size);
                    writeRandom(device, map, off, 1);
                }
                case 1 -> { // both sides of a block edge
                    long blocks = size / BLOCK;
                    if (blocks >= 1) {
                        long edge = (1 + (long) (random.nextDouble() * blocks)) * BLOCK;
                        long off = Math.max(0, edge - 1);
                        writeRandom(device, map, off, (int) Math.min(2, size - off));
                    }
                }
                case 2 -> { // trimmed range
                    long off = (long) (random.nextDouble() * size);
                    long len = Math.min(size - off, 1 + random.nextInt(3 * BLOCK));
                    device.trim(off, len);
                    map.mark(off, len);
                }
                case 3 -> { // a run of new data, possibly across blocks
                    long off = (long) (random.nextDouble() * size);
                    int len = (int) Math.min(size - off, 1 + random.nextInt(2 * BLOCK));
                    writeRandom(device, map, off, len);
                }
                case 4 -> { // the last (short) block
                    long off = size - 1 - random.nextInt((int) Math.min(size, 100));
                    writeRandom(device, map, off, (int) (size - off));
                }
                default -> throw new AssertionError();
            }
        }
        device.flush();
    }

    private void writeRandom(BlockDevice device, ChangeMap map, long off, int len) throws IOException {
        if (len <= 0) {
            return;
        }
        byte[] data = new byte[len];
        random.nextBytes(data);
        data[0] |= 1; // never all zeroes, so the change is real
        device.write(off, ByteBuffer.wrap(data), false);
        map.mark(off, len);
    }
}
