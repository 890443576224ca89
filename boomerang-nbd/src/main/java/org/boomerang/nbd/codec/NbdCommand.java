package org.boomerang.nbd.codec;

import static org.boomerang.nbd.protocol.NbdProtocol.CMD_FLAG_FUA;
import static org.boomerang.nbd.protocol.NbdProtocol.CMD_FLAG_NO_HOLE;
import static org.boomerang.nbd.protocol.NbdProtocol.CMD_FLAG_REQ_ONE;

import java.util.Optional;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * The transmission-phase commands this server understands, with their wire id and the command flags
 * that are valid on each. FUA is accepted on every command (clients may set it on any; it only has an
 * effect on writes), anything else outside {@link #allowedFlags()} is answered with EINVAL.
 */
public enum NbdCommand {
    READ(NbdProtocol.CMD_READ, CMD_FLAG_FUA, false),
    WRITE(NbdProtocol.CMD_WRITE, CMD_FLAG_FUA, true),
    DISC(NbdProtocol.CMD_DISC, 0, false),
    FLUSH(NbdProtocol.CMD_FLUSH, CMD_FLAG_FUA, false),
    TRIM(NbdProtocol.CMD_TRIM, CMD_FLAG_FUA, true),
    CACHE(NbdProtocol.CMD_CACHE, CMD_FLAG_FUA, false),
    WRITE_ZEROES(NbdProtocol.CMD_WRITE_ZEROES, CMD_FLAG_FUA | CMD_FLAG_NO_HOLE, true),
    BLOCK_STATUS(NbdProtocol.CMD_BLOCK_STATUS, CMD_FLAG_FUA | CMD_FLAG_REQ_ONE, false);

    private static final NbdCommand[] BY_WIRE_ID = new NbdCommand[8];

    static {
        for (NbdCommand c : values()) {
            BY_WIRE_ID[c.wireId] = c;
        }
    }

    private final int wireId;
    private final int allowedFlags;
    private final boolean modifiesData;

    NbdCommand(int wireId, int allowedFlags, boolean modifiesData) {
        this.wireId = wireId;
        this.allowedFlags = allowedFlags;
        this.modifiesData = modifiesData;
    }

    public int wireId() {
        return wireId;
    }

    /** The command flags valid on this command. */
    public int allowedFlags() {
        return allowedFlags;
    }

    /** True for commands refused with EPERM on a read-only export and answered with ENOSPC past its end. */
    public boolean modifiesData() {
        return modifiesData;
    }

    /** True when a payload of {@code length} bytes follows the request header. */
    public boolean hasPayload() {
        return this == WRITE;
    }

    public static Optional<NbdCommand> fromWireId(int id) {
        return id >= 0 && id < BY_WIRE_ID.length ? Optional.ofNullable(BY_WIRE_ID[id]) : Optional.empty();
    }
}
