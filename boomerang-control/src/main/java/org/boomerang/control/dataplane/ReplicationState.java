package org.boomerang.control.dataplane;

/**
 * Where a pair's replication stands, as the data plane measures it: the first copy is running
 * ({@link #INITIAL_SYNC}), every write reaches the replica as it happens ({@link #PROTECTED}), the
 * replica is behind and a catch-up runs ({@link #CATCHING_UP}), replication is stopped
 * ({@link #PAUSED}), or a role reported a failure ({@link #ERROR}).
 */
public enum ReplicationState {
    INITIAL_SYNC,
    PROTECTED,
    CATCHING_UP,
    PAUSED,
    ERROR
}
