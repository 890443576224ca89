package org.boomerang.nbd.codec;

import java.util.Optional;

/**
 * One transmission-phase request header as it came off the wire.
 *
 * @param flags  the 16-bit command flags
 * @param type   the 16-bit command type; {@link #command()} maps it to a known command
 * @param cookie the client's handle, echoed in every reply
 * @param offset the unsigned 64-bit offset; a value above {@link Long#MAX_VALUE} appears negative
 * @param length the unsigned 32-bit length
 */
public record NbdRequest(int flags, int type, long cookie, long offset, long length) {
    public Optional<NbdCommand> command() {
        return NbdCommand.fromWireId(type);
    }

    /** The number of payload bytes that follow this header on the wire. */
    public long payloadLength() {
        return type == NbdCommand.WRITE.wireId() ? length : 0;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
