package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

/**
 * What a handshake settled: the export and the reply style of the transmission phase.
 *
 * @param structuredReplies true when NBD_OPT_STRUCTURED_REPLY was acknowledged
 * @param allocationContextId the id of {@code base:allocation} when SET_META_CONTEXT selected it for this
 *     export, else {@link #NO_CONTEXT}
 */
record Negotiated(ServedExport export, boolean structuredReplies, int allocationContextId) {
    static final int NO_CONTEXT = -1;

    Negotiated {
        requireNonNull(export, "export is null");
    }

    boolean blockStatusAllowed() {
        return allocationContextId != NO_CONTEXT;
    }
}
