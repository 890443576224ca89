package org.boomerang.control.failback;

/** Which recovery point a failover or failback recovers to (FB-15). */
public enum PointChoice {
    /** The newest point; "latest" points are crash-consistent. Same as {@link #LATEST_PROCESSED} here. */
    LATEST,
    /** Each machine its own newest processed point, also inside replication groups. */
    LATEST_PROCESSED,
    /** One machine: its newest app-consistent point; a replication group: the newest common app-consistent point. */
    LATEST_APP_CONSISTENT,
    /** A point named by id. */
    POINT_ID,
    /** The newest point at or before an LSN. */
    LSN
}
