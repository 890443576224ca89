package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.RecoveryPoint;
import org.boomerang.journal.segment.RecordRef;

/**
 * Retention: decides what expires and thins (pure functions of the points, the policy and the time),
 * and applies expired records to the base image crash-safely (see {@link BaseState} for the protocol).
 *
 * <p>Thread-safety: stateless.
 */
public final class Retention {
    private static final int COPY_CHUNK = 1 << 20;

    /** What a retention run will do: apply through {@code applyThrough} and thin these marker LSNs. */
    public record Plan(Lsn applyThrough, Set<Long> thinned) {}

    private Retention() {}

    /**
     * Plans a run. The base moves to the newest marker at least {@code window} old, but never past
     * {@code limit} (the oldest LSN an open view shows); points inside the window are thinned by tier.
     */
    public static Plan plan(RetentionPolicy policy, List<RecoveryPoint> points, Set<Long> alreadyThinned, Lsn baseLsn,
            Lsn limit, Instant now) {
        Instant cutoff = now.minus(policy.window());
        long through = baseLsn.value();
        for (RecoveryPoint p : points) {
            if (!p.marker().time().isAfter(cutoff) && p.lsn().value() <= limit.value()) {
                through = Math.max(through, p.lsn().value());
            }
        }
        Set<Long> thinned = new TreeSet<>(alreadyThinned);
        Map<String, Long> keepNewest = new HashMap<>();
        Map<String, Long> keepNewestApp = new HashMap<>();
        for (RecoveryPoint p : points) {
            if (p.lsn().value() <= through) {
                continue;
            }
            String bucket = bucket(policy, now, p.marker().time());
            if (bucket == null) {
                continue;
            }
            keepNewest.merge(bucket, p.lsn().value(), Math::max);
            if (p.kind() == MarkerKind.APP) {
                keepNewestApp.merge(bucket, p.lsn().value(), Math::max);
            }
        }
        for (RecoveryPoint p : points) {
            if (p.lsn().value() <= through) {
                continue;
            }
            String bucket = bucket(policy, now, p.marker().time());
            if (bucket == null) {
                continue;
            }
            long lsn = p.lsn().value();
            if (keepNewest.get(bucket) != lsn && !Long.valueOf(lsn).equals(keepNewestApp.get(bucket))) {
                thinned.add(lsn);
            }
        }
        thinned.removeIf(l -> l <= Math.max(baseLsn.value(), 0));
        return new Plan(Lsn.of(through), thinned);
    }

    /** The thinning bucket of a point of this age, or null when every point of that age is kept. */
    private static String bucket(RetentionPolicy policy, Instant now, Instant time) {
        Duration age = Duration.between(time, now);
        RetentionPolicy.Tier tier = null;
        for (RetentionPolicy.Tier t : policy.tiers()) {
            if (age.compareTo(t.after()) >= 0) {
                tier = t;
            }
        }
        if (tier == null) {
            return null;
        }
        long width = tier.keepOnePer().toMillis();
        return tier.after().toMillis() + "/" + Math.floorDiv(time.toEpochMilli(), width);
    }

    /**
     * Applies {@code records} (LSN order, covering {@code (from, through]}) to the base image. Writes the
     * intent first and the new base state last, so a crash at any step is finished by recovery.
     */
    public static void apply(Path dir, BlockDevice base, Lsn from, Lsn through, List<RecordRef> records)
            throws IOException {
        if (through.value() <= from.value()) {
            return;
        }
        new BaseState(from, through.value()).write(dir);
        applyRecords(base, records);
        base.flush();
        new BaseState(through, 0).write(dir);
    }

    /** Writes each data record into the base image in LSN order (idempotent: replaying gives the same bytes). */
    public static void applyRecords(BlockDevice base, List<RecordRef> records) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(COPY_CHUNK);
        for (RecordRef r : records) {
            switch (r.kind()) {
                case WRITE -> {
                    long done = 0;
                    while (done < r.length()) {
                        int n = (int) Math.min(COPY_CHUNK, r.length() - done);
                        chunk.clear().limit(n);
                        r.segment().readPayload(r, r.offset() + done, chunk);
                        chunk.flip();
                        base.write(r.offset() + done, chunk, false);
                        done += n;
                    }
                }
                case TRIM -> base.trim(r.offset(), r.length());
                case ZERO -> base.writeZeroes(r.offset(), r.length(), true, false);
                case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> {
                    // markers and window bounds change no bytes
                }
            }
        }
    }
}
