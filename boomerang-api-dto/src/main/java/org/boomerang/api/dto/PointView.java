package org.boomerang.api.dto;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point of a protected item: {@code consistency} is a {@link ConsistencyView};
 * {@code groupTag} is set on the points of one consistent cut across a replication group.
 */
public record PointView(String id, String item, long lsn, Instant time, ConsistencyView consistency, @Nullable String groupTag) {}
