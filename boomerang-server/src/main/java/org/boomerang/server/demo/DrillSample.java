package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.provider.lab.SampleEstate;

/**
 * The sampled verification of {@code boomerang drill --verify sampled}, for disks too big to read
 * whole at every turn: a disk's SHA-256 over a fixed set of byte ranges instead of end to end. The
 * ranges ({@link #ranges}) are every data extent of the seeded sample image (its filesystem's
 * metadata and files), every range the guest workload wrote, and {@link #PROBE} bytes at
 * {@link #PROBES} evenly spaced offsets (which must read the same on both sides, as zeroes or not).
 * Two disks compared with the same ranges are equal wherever anything was ever written to them.
 * The filesystem check copies only the seeded data extents of the filesystem's region (the drill
 * never writes inside the filesystem after seeding), then runs {@link FilesystemCheck#ofImage}.
 *
 * <p>The digest is SHA-256 over the ranges' contents in offset order, the ranges merged first (so
 * the same set of ranges always hashes the same bytes). Stateless and thread-safe.
 */
final class DrillSample {
    /** Evenly spaced probes per disk. */
    static final int PROBES = 256;
    /** Bytes per probe. */
    static final int PROBE = 1 << 20;
    private static final int CHUNK = 1 << 20;

    private DrillSample() {}

    /** The data extents of a seeded sample image (a raw file), from its allocation map. */
    static List<ByteRange> seeded(Path image) throws IOException {
        try (RawFileBlockDevice d = RawFileBlockDevice.open(image, true)) {
            List<ByteRange> data = new ArrayList<>();
            for (Extent e : d.allocation(0, d.size())) {
                if (!e.hole()) {
                    data.add(new ByteRange(e.offset(), e.length()));
                }
            }
            return data;
        }
    }

    /** {@code seeded} and {@code written} with the evenly spaced probes of a disk of {@code size} bytes, merged, in offset order, within the disk. */
    static List<ByteRange> ranges(long size, List<ByteRange> seeded, List<ByteRange> written) {
        List<ByteRange> all = new ArrayList<>(seeded);
        all.addAll(written);
        long step = Math.max(PROBE, size / PROBES);
        for (long at = 0; at < size; at += step) {
            all.add(new ByteRange(at, Math.min(PROBE, size - at)));
        }
        all.sort(Comparator.comparingLong(ByteRange::offset));
        List<ByteRange> merged = new ArrayList<>();
        for (ByteRange r : all) {
            long end = Math.min(size, r.end());
            if (r.offset() >= end) {
                continue;
            }
            ByteRange last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && r.offset() <= last.end()) {
                merged.set(merged.size() - 1, new ByteRange(last.offset(), Math.max(last.end(), end) - last.offset()));
            } else {
                merged.add(new ByteRange(r.offset(), end - r.offset()));
            }
        }
        return merged;
    }

    /** The bytes the ranges cover. */
    static long bytes(List<ByteRange> ranges) {
        return ranges.stream().mapToLong(ByteRange::length).sum();
    }

    /** SHA-256 over {@code ranges} (as {@link #ranges} gives them) of the export at {@code uri}. */
    static String sha256(NbdUri uri, List<ByteRange> ranges) throws IOException {
        try (NbdBlockDevice d = NbdBlockDevice.open(uri)) {
            return sha256(d, ranges);
        }
    }

    /** SHA-256 over {@code ranges} (as {@link #ranges} gives them) of {@code device}. */
    static String sha256(BlockDevice device, List<ByteRange> ranges) throws IOException {
        requireNonNull(ranges, "ranges is null");
        MessageDigest md = DiskDigest.newDigest();
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        for (ByteRange r : ranges) {
            for (long at = r.offset(); at < r.end(); at += CHUNK) {
                buf.clear().limit((int) Math.min(CHUNK, r.end() - at));
                device.read(at, buf);
                buf.flip();
                md.update(buf);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Checks the filesystem of the disk at {@code uri} as {@link FilesystemCheck#overNbd} does, but copies only
     * the parts of its region that {@code seeded} holds data in (a temporary sparse image under {@code temp}).
     */
    static FilesystemCheck.Result filesystem(NbdUri uri, SampleEstate.Filesystem fs, List<ByteRange> seeded, Path temp) throws IOException {
        Path copy = Files.createTempFile(temp, "fs-", ".img");
        try {
            long start = fs.offsetBytes();
            long end = start + fs.sizeBytes();
            try (NbdBlockDevice disk = NbdBlockDevice.open(uri);
                 FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
                for (ByteRange r : seeded) {
                    for (long at = Math.max(start, r.offset()); at < Math.min(end, r.end()); at += CHUNK) {
                        buf.clear().limit((int) Math.min(CHUNK, Math.min(end, r.end()) - at));
                        disk.read(at, buf);
                        buf.flip();
                        long to = at - start;
                        while (buf.hasRemaining()) {
                            out.write(buf, to + buf.position());
                        }
                    }
                }
            }
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.setLength(fs.sizeBytes());
            }
            return FilesystemCheck.ofImage(copy, new SampleEstate.Filesystem(fs.type(), 0, fs.sizeBytes(), fs.files()));
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
