package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.sync.SyncDisk;

/**
 * Where a disk of a sync is, as the operator wrote it: an image file or block-device path
 * ({@code disk.img}, {@code file:///var/disk.img}) or an NBD export ({@code nbd://host:port/export}).
 * Later the replication roles' endpoints join here. It lives where the roles are wired, not in
 * {@code boomerang-sync}, so that the sync engine sees disks only as {@link BlockDevice}s and never
 * depends on the NBD client.
 */
public record DiskLocation(String text) {
    public DiskLocation {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a disk location must not be blank");
        }
    }

    public boolean isNbd() {
        return NbdUri.isNbd(text);
    }

    /** Opens the disk; a file target that does not exist is created sparse with {@code createSize} bytes when that is positive. */
    public SyncDisk open(boolean writable, long createSize) throws IOException {
        if (isNbd()) {
            NbdBlockDevice device = NbdBlockDevice.open(NbdUri.parse(text));
            return new SyncDisk(device, text, true);
        }
        Path path = path();
        BlockDevice device = !Files.exists(path) && writable && createSize > 0
                ? RawFileBlockDevice.create(path, createSize)
                : RawFileBlockDevice.open(path, !writable);
        return new SyncDisk(device, text, false);
    }

    private Path path() {
        return text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
