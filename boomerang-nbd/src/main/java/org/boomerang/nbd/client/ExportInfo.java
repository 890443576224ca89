package org.boomerang.nbd.client;

import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * What the server told the client about an export during the handshake.
 *
 * @param size             export size in bytes
 * @param transmissionFlags the {@code NBD_FLAG_*} transmission flags
 * @param minimumBlockSize smallest request granularity (1 when the server sent no NBD_INFO_BLOCK_SIZE)
 * @param preferredBlockSize the size the server prefers requests to be a multiple of
 * @param maximumPayload   the largest READ/WRITE payload the client sends in one request
 */
public record ExportInfo(long size, int transmissionFlags, int minimumBlockSize, int preferredBlockSize, int maximumPayload) {
    /** The payload cap the client uses when the server gives none: 32 MiB, the de-facto limit of qemu-nbd and nbdkit. */
    public static final int DEFAULT_MAXIMUM_PAYLOAD = NbdProtocol.MAX_PAYLOAD;

    public ExportInfo {
        if (size < 0) {
            throw new IllegalArgumentException("negative export size " + size);
        }
        if (minimumBlockSize <= 0 || preferredBlockSize <= 0 || maximumPayload <= 0) {
            throw new IllegalArgumentException("bad block sizes min=" + minimumBlockSize + " preferred=" + preferredBlockSize
                    + " max=" + maximumPayload);
        }
    }

    public boolean has(int flag) {
        return (transmissionFlags & flag) != 0;
    }

    public boolean readOnly() {
        return has(NbdProtocol.TFLAG_READ_ONLY);
    }
}
