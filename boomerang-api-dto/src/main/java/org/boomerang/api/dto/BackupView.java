package org.boomerang.api.dto;

import java.time.Instant;

/**
 * A backup of the control database in the server's backup folder (FB-13). {@code rows} is known
 * for a backup just taken and -1 in listings (reading every file to count would be slow).
 */
public record BackupView(String name, long sizeBytes, long rows, Instant createdAt) {}
