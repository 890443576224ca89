package org.boomerang.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;

/**
 * Opens a test's disk as a {@link SyncDisk}: an image path, or an {@code nbd://} URI through the NBD
 * client. The engine itself never opens NBD (the server's {@code DiskLocation} does, where roles are
 * wired); only these tests reach real NBD servers through it.
 */
final class TestingSyncDisks {
    private TestingSyncDisks() {}

    static SyncDisk open(String location, boolean writable, long createSize) throws IOException {
        if (NbdUri.isNbd(location)) {
            return new SyncDisk(NbdBlockDevice.open(NbdUri.parse(location)), location, true);
        }
        Path path = Path.of(location);
        return new SyncDisk(!Files.exists(path) && writable && createSize > 0
                ? RawFileBlockDevice.create(path, createSize)
                : RawFileBlockDevice.open(path, !writable), location, false);
    }
}
