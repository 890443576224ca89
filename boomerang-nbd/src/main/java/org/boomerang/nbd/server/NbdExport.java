package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * One named export: a {@link BlockDevice} under a name, with a human description for NBD_INFO_DESCRIPTION.
 * The server never owns the device: whoever built it closes it after the server is closed.
 *
 * <p>Transmission flags are derived from the device and advertised truthfully:
 * <ul>
 *   <li>READ_ONLY when the device is read-only; then no TRIM, WRITE_ZEROES or FUA is offered;</li>
 *   <li>SEND_FLUSH, SEND_CACHE always (CACHE is accepted as an advisory no-op);</li>
 *   <li>CAN_MULTI_CONN always: every connection to an export calls the same device, and
 *       {@link BlockDevice#flush()} makes every completed write durable whoever issued it, so a FLUSH on one
 *       connection covers the writes completed on all. Overlapping mutations of different connections are
 *       applied one at a time (see {@link ServedExport}), so a decorator sees them in the order they land.</li>
 * </ul>
 */
public record NbdExport(String name, BlockDevice device, String description) {
    public NbdExport {
        requireNonNull(name, "name is null");
        requireNonNull(device, "device is null");
        requireNonNull(description, "description is null");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NbdProtocol.MAX_NAME_LENGTH || name.indexOf('\0') >= 0) {
            throw new NbdProtocolException(NbdError.BAD_EXPORT_CONFIG, "export name of " + bytes + " bytes is not a valid NBD name",
                    "use a name of at most " + NbdProtocol.MAX_NAME_LENGTH + " UTF-8 bytes without NUL");
        }
    }

    public boolean readOnly() {
        return device.isReadOnly();
    }

    public long size() {
        return device.size();
    }

    /** The 16-bit transmission flags sent with NBD_INFO_EXPORT or in reply to EXPORT_NAME. */
    public int transmissionFlags() {
        return transmissionFlags(readOnly());
    }

    static int transmissionFlags(boolean readOnly) {
        int flags = NbdProtocol.TFLAG_HAS_FLAGS | NbdProtocol.TFLAG_SEND_FLUSH | NbdProtocol.TFLAG_SEND_CACHE
                | NbdProtocol.TFLAG_CAN_MULTI_CONN;
        if (readOnly) {
            flags |= NbdProtocol.TFLAG_READ_ONLY;
        } else {
            flags |= NbdProtocol.TFLAG_SEND_FUA | NbdProtocol.TFLAG_SEND_TRIM | NbdProtocol.TFLAG_SEND_WRITE_ZEROES;
        }
        return flags;
    }
}
