package org.boomerang.dataplane.capture;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;

/** A feed that holds nothing: for tests of what only needs a feed's identity. */
final class TestingFeed implements ChangeFeed {
    @Override
    public DiskId disk() {
        return new DiskId("testing");
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public void resume(long receiverDurableLsn) {}

    @Override
    public List<CapturedChange> poll(int maxBytes, Duration timeout) {
        return List.of();
    }

    @Override
    public void released(long lsn) {}

    @Override
    public void durableAtTarget(long lsn) {}

    @Override
    public Optional<CapturedChange.Mark> mark(MarkerKind kind, String groupId, String tag) {
        return Optional.empty();
    }

    @Override
    public long lastLsn() {
        return 0;
    }

    @Override
    public void close() {}
}
