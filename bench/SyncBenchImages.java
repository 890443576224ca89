import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.UUID;
import org.boomerang.blockdev.ChangeMap;

/**
 * Makes the images of bench/sync.sh (run with the launcher's class path):
 *
 *   base OLD SIZE DATA_PERCENT SEED         a sparse image with DATA_PERCENT % of its 1 MiB extents filled
 *   diverge OLD NEW MAP PERCENT SEED        NEW = copy of OLD with PERCENT % of its 64 KiB blocks rewritten
 *                                           at random; MAP = those blocks as a change map (the journal's view)
 *
 * Block content is half random, half a repeating pattern: it compresses about 2:1, as real disks often do.
 */
public final class SyncBenchImages {
    private static final int BLOCK = 64 * 1024;
    private static final int EXTENT = 1 << 20;

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "base" -> base(Path.of(args[1]), parseSize(args[2]), Double.parseDouble(args[3]), Long.parseLong(args[4]));
            case "diverge" -> diverge(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Double.parseDouble(args[4]),
                    Long.parseLong(args[5]));
            default -> throw new IllegalArgumentException("usage: base|diverge ...");
        }
    }

    static void base(Path file, long size, double dataPercent, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        ByteBuffer extent = ByteBuffer.allocateDirect(EXTENT);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long off = 0; off < size; off += EXTENT) {
                if (random.nextDouble() * 100 >= dataPercent) {
                    continue;
                }
                extent.clear();
                for (int b = 0; b < EXTENT; b += BLOCK) {
                    fillBlock(extent, b, random);
                }
                extent.clear().limit((int) Math.min(EXTENT, size - off));
                while (extent.hasRemaining()) {
                    ch.write(extent, off + extent.position());
                }
            }
            ch.force(true);
        }
    }

    static void diverge(Path old, Path fresh, Path mapFile, double percent, long seed) throws IOException {
        Files.deleteIfExists(fresh);
        Process cp = new ProcessBuilder("cp", "--sparse=always", old.toString(), fresh.toString()).inheritIO().start();
        try {
            if (cp.waitFor() != 0) {
                throw new IOException("cp failed");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        long size = Files.size(fresh);
        long blocks = size / BLOCK;
        long changes = Math.round(blocks * percent / 100.0);
        SplittableRandom random = new SplittableRandom(seed);
        ChangeMap map = new ChangeMap(size, ChangeMap.DEFAULT_BLOCK_SIZE, UUID.nameUUIDFromBytes(("bench" + seed).getBytes()));
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel ch = FileChannel.open(fresh, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < changes) {
                long b = random.nextLong(blocks);
                if (map.isMarked(b)) {
                    continue;
                }
                map.markBlock(b);
                block.clear();
                fillBlock(block, 0, random);
                block.clear();
                while (block.hasRemaining()) {
                    ch.write(block, b * BLOCK + block.position());
                }
                done++;
            }
            ch.force(true);
        }
        map.writeTo(mapFile);
        System.out.println(changes + " blocks of 64 KiB changed (" + changes * BLOCK + " bytes)");
    }

    private static void fillBlock(ByteBuffer buf, int at, SplittableRandom random) {
        for (int i = 0; i < BLOCK / 2; i += 8) {
            buf.putLong(at + i, random.nextLong());
        }
        long pattern = random.nextLong();
        for (int i = BLOCK / 2; i < BLOCK; i += 8) {
            buf.putLong(at + i, pattern);
        }
    }

    private static long parseSize(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long n = Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1));
        return switch (unit) {
            case 'K' -> n << 10;
            case 'M' -> n << 20;
            case 'G' -> n << 30;
            default -> n;
        };
    }
}
