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
 * @param structuredReplies true when the server agreed to NBD_OPT_STRUCTURED_REPLY
 * @param allocationContext the meta-context id of {@code base:allocation}, or {@link #NO_CONTEXT}
 */
public record ExportInfo(long size, int transmissionFlags, int minimumBlockSize, int preferredBlockSize, int maximumPayload,
        boolean structuredReplies, long allocationContext) {
    /** No {@code base:allocation} context: the server cannot report holes. */
    public static final long NO_CONTEXT = -1;

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

    /** True when NBD_CMD_BLOCK_STATUS can tell holes and zeroes. */
    public boolean reportsAllocation() {
        return structuredReplies && allocationContext != NO_CONTEXT;
    }

    public boolean readOnly() {
        return has(NbdProtocol.TFLAG_READ_ONLY);
    }
}
