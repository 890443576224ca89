package org.boomerang.journal.recovery;

import org.boomerang.common.Lsn;

/**
 * What recovery found when a journal was opened.
 *
 * @param baseLsn the LSN the base image holds
 * @param lastLsn the newest valid record
 * @param segments segment files kept
 * @param checkpointUsed true when at least one segment index ({@code .idx}) was trusted, so its records were not scanned
 * @param recordsScanned records read and checksum-verified during the scan
 * @param truncatedBytes bytes of a torn last record cut off (0 when the journal ended cleanly)
 * @param tornSegment the segment that ended torn, or empty
 * @param tornPosition where the torn record started, or -1
 * @param tornReason why the last record was torn, or empty
 * @param retentionCompleted true when an interrupted retention run was finished
 */
public record RecoveryReport(Lsn baseLsn, Lsn lastLsn, int segments, boolean checkpointUsed, long recordsScanned,
        long truncatedBytes, String tornSegment, long tornPosition, String tornReason, boolean retentionCompleted) {}
