package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.Lsn;

/**
 * A range of LSNs that is not write-order consistent (a catch-up copied from a dirty map, in block
 * order): from its window-open record through its window-close record no LSN is offered as a point.
 *
 * @param open the LSN of the window-open record
 * @param close the LSN of the window-close record, or null while the window is open
 * @param reason why the window was opened (free text from the sender)
 */
public record InconsistentWindow(Lsn open, Lsn close, String reason) {
    public InconsistentWindow {
        requireNonNull(open, "open is null");
        requireNonNull(reason, "reason is null");
    }

    /** True when {@code lsn} lies inside the window (bounds included; an open window has no end). */
    public boolean contains(long lsn) {
        return lsn >= open.value() && (close == null || lsn <= close.value());
    }

    public boolean isOpen() {
        return close == null;
    }
}
