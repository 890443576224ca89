package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.boomerang.blockdev.BlockDevice;

/**
 * One side of a sync: the open device, the name the operator gave it, and whether its bytes cross a
 * network to reach this process (an {@code nbd://} disk), which the report states.
 */
public record SyncDisk(BlockDevice device, String name, boolean overWire) implements AutoCloseable {
    public SyncDisk {
        requireNonNull(device, "device is null");
        requireNonNull(name, "name is null");
    }

    /** Closes the device. */
    @Override
    public void close() throws IOException {
        device.close();
    }

    /** How this side's digests are made when digested in this process. */
    String localProvenance() {
        return overWire
                ? "digested in this process from bytes read over the wire (NBD) from " + name
                        + " (--source-digests/--target-digests HOST:PORT would digest it next to the disk and send only digests)"
                : "digested in this process from " + name;
    }
}
