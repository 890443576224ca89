package org.boomerang.dataplane.capture;

import java.util.Optional;
import org.boomerang.common.DiskId;

/**
 * A snapshot of one disk's capture, for metrics, logs and the agent's status.
 *
 * @param mode where the feed stands; {@link CaptureMode#inconsistent()} says whether a window is open
 * @param queueBytes payload bytes held in memory (not yet released by the next hop)
 * @param queueRecords changes held in memory
 * @param dirtyExtents extents in the dirty map (not yet durable at the target, or pending)
 * @param dirtyBytes bytes those extents cover
 * @param pendingExtents extents a catch-up still has to send
 * @param catchUpSentBytes bytes the current (or last) catch-up sent so far
 * @param catchUpTotalBytes bytes pending when the current (or last) catch-up started
 * @param lastLsn the newest LSN issued
 * @param durableAtTarget the newest LSN the master target acknowledged as durable
 * @param dirtyMapWrites how many times the dirty map file was written (each costs two fsyncs)
 * @param synchronousActive true when writes wait for the target (synchronous mode, not fallen back)
 * @param synchronousFallbacks how many times synchronous mode fell back to asynchronous
 * @param failure the stable error that stopped the capture taking writes, when one did
 */
public record CaptureStatus(DiskId disk, CaptureMode mode, long queueBytes, int queueRecords, long dirtyExtents,
        long dirtyBytes, long pendingExtents, long catchUpSentBytes, long catchUpTotalBytes, long lastLsn,
        long durableAtTarget, long dirtyMapWrites, boolean synchronousActive, long synchronousFallbacks,
        Optional<CaptureError> failure) {
    public boolean windowOpen() {
        return mode.inconsistent();
    }
}
