package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.boomerang.common.Lsn;

/**
 * Turns a {@link PointName} into a retained LSN against one snapshot of a journal's points.
 *
 * <p>Thread-safety: immutable.
 */
final class PointResolver {
    private static final int MIN_ID_PREFIX = 8;

    private final Lsn base;
    private final Lsn last;
    private final List<RecoveryPoint> points;
    private final Set<Long> thinned;

    PointResolver(Lsn base, Lsn last, List<RecoveryPoint> points, Set<Long> thinned) {
        this.base = requireNonNull(base, "base is null");
        this.last = requireNonNull(last, "last is null");
        this.points = requireNonNull(points, "points is null");
        this.thinned = requireNonNull(thinned, "thinned is null");
    }

    Lsn resolve(PointName name) {
        return switch (name.form()) {
            case LATEST -> last;
            case LATEST_PROCESSED -> {
                if (points.isEmpty()) {
                    throw notFound("the journal has no recovery point yet",
                            "use 'latest' (every LSN is crash-consistent) or wait for the next marker");
                }
                yield points.get(points.size() - 1).lsn();
            }
            case LATEST_APP_CONSISTENT -> {
                for (int i = points.size() - 1; i >= 0; i--) {
                    if (points.get(i).kind() == MarkerKind.APP) {
                        yield points.get(i).lsn();
                    }
                }
                throw notFound("the journal has no application-consistent point",
                        "use latest-processed, or take an app-consistent marker first");
            }
            case LSN -> {
                if (name.lsn() < base.value() || name.lsn() > last.value()) {
                    throw notFound("lsn:" + name.lsn() + " is not retained (the journal holds lsn:" + base.value()
                            + " to lsn:" + last.value() + ")", "choose an LSN in that range");
                }
                yield Lsn.of(name.lsn());
            }
            case ID -> byId(name.id());
        };
    }

    private Lsn byId(String id) {
        RecoveryPoint found = null;
        for (RecoveryPoint p : points) {
            if (p.id().equals(id)) {
                return p.lsn();
            }
            if (id.length() >= MIN_ID_PREFIX && p.id().startsWith(id)) {
                if (found != null) {
                    throw new JournalException(JournalError.BAD_POINT_NAME, "point id prefix '" + id + "' is ambiguous",
                            "give more characters of the id");
                }
                found = p;
            }
        }
        if (found != null) {
            return found.lsn();
        }
        throw notFound("no recovery point with id '" + id + "'" + (thinned.isEmpty() ? "" : " (it may have been thinned by retention)"),
                "list the points with 'boomerang journal points', or name an LSN as lsn:N");
    }

    private static JournalException notFound(String message, String hint) {
        return new JournalException(JournalError.POINT_NOT_FOUND, message, hint);
    }
}
