package org.boomerang.nbd.server;

import org.boomerang.nbd.codec.NbdCommand;
import org.boomerang.nbd.codec.NbdRequest;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Decides whether a request may run on an export, before any byte of it touches the device; the answer is
 * the protocol's errno or 0. Order matters and follows the protocol's advice: unknown command or flag
 * EINVAL, a change to a read-only export EPERM, a READ or WRITE above the advertised maximum payload
 * EOVERFLOW, a range past the end ENOSPC for commands that write and EINVAL for the others, BLOCK_STATUS
 * without a negotiated context or of length 0 EINVAL.
 *
 * <p>Thread-safety: stateless.
 */
final class RequestCheck {
    private RequestCheck() {}

    static int errno(NbdRequest request, Negotiated session) {
        NbdCommand command = request.command().orElse(null);
        if (command == null) {
            return NbdProtocol.EINVAL;
        }
        if ((request.flags() & ~command.allowedFlags()) != 0) {
            return NbdProtocol.EINVAL;
        }
        ServedExport export = session.export();
        if (command.modifiesData() && export.readOnly()) {
            return NbdProtocol.EPERM;
        }
        switch (command) {
            case READ, WRITE -> {
                if (request.length() > NbdProtocol.MAX_PAYLOAD) {
                    return NbdProtocol.EOVERFLOW;
                }
            }
            case BLOCK_STATUS -> {
                if (!session.blockStatusAllowed() || request.length() == 0) {
                    return NbdProtocol.EINVAL;
                }
            }
            case DISC, FLUSH -> {
                return 0;
            }
            case TRIM, CACHE, WRITE_ZEROES -> { }
        }
        long offset = request.offset();
        if (offset < 0 || offset > export.size() - request.length()) {
            return command.modifiesData() ? NbdProtocol.ENOSPC : NbdProtocol.EINVAL;
        }
        return 0;
    }
}
