package org.boomerang.dataplane.capture;

/**
 * Where an inline capture's feed stands. The replica is write-order consistent only in {@link #STREAMING}.
 *
 * <pre>
 *   AWAITING_RESUME ──resume──▶ CATCHUP_NEEDED ──poll──▶ CATCHING_UP ──few left──▶ CLOSING ──sent──▶ STREAMING
 *                                    ▲                                                                │
 *                                    └──────── queue overflow, or resume at an LSN no longer held ────┘
 * </pre>
 * Until the first resume and while catching up, writes get no LSN: they mark their extents pending in the
 * dirty map and a catch-up pass sends their current data. In {@link #CLOSING} the extents still pending have
 * their LSNs reserved and are being sent; writes queue behind them with later LSNs.
 */
public enum CaptureMode {
    /** Opened; the feed waits for the receiver's durable LSN before it numbers anything. */
    AWAITING_RESUME,
    /** The next poll opens an inconsistent window and starts a catch-up from the dirty map. */
    CATCHUP_NEEDED,
    /** A window is open: passes over the dirty map send current data of pending extents. */
    CATCHING_UP,
    /** The last pass: the remaining extents are sent, then the window closes. */
    CLOSING,
    /** Every write is queued in LSN order; markers may be taken. */
    STREAMING;

    /** True while an inconsistent window is open or about to open: no recovery point may be taken. */
    public boolean inconsistent() {
        return switch (this) {
            case AWAITING_RESUME, CATCHUP_NEEDED, CATCHING_UP, CLOSING -> true;
            case STREAMING -> false;
        };
    }
}
