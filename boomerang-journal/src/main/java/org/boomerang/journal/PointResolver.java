package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;

/**
 * Turns a {@link PointName} into a retained LSN against one snapshot of a journal's points.
 *
 * <p>Thread-safety: immutable.
 */
final class PointResolver {
    private static final int MIN_ID_PREFIX = 8;

    private final Lsn base;
    private final Lsn durable;
    private final Lsn latest;
    private final List<RecoveryPoint> points;
    private final Set<Long> thinned;
    private final List<InconsistentWindow> windows;

    /**
     * @param base the base LSN
     * @param durable the newest durable LSN (nothing after it is offered)
     * @param latest the newest durable LSN outside every inconsistent window, or null when there is none
     * @param points the durable, consistent, retained points
     */
    PointResolver(Lsn base, Lsn durable, Lsn latest, List<RecoveryPoint> points, Set<Long> thinned,
            List<InconsistentWindow> windows) {
        this.base = requireNonNull(base, "base is null");
        this.durable = requireNonNull(durable, "durable is null");
        this.latest = latest;
        this.points = requireNonNull(points, "points is null");
        this.thinned = requireNonNull(thinned, "thinned is null");
        this.windows = requireNonNull(windows, "windows is null");
    }

    Lsn resolve(PointName name) {
        return switch (name.form()) {
            case LATEST -> {
                if (latest == null) {
                    throw new JournalException(JournalError.INCONSISTENT_POINT, "every retained LSN up to lsn:"
                            + durable.value() + " lies inside an inconsistent window (a catch-up in progress)",
                            "wait until the catch-up closes its window, then ask again");
                }
                yield latest;
            }
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
                if (name.lsn() < base.value() || name.lsn() > durable.value()) {
                    throw notFound("lsn:" + name.lsn() + " is not retained and durable (the journal holds lsn:"
                            + base.value() + " to lsn:" + durable.value() + ")", "choose an LSN in that range");
                }
                for (InconsistentWindow w : windows) {
                    if (w.contains(name.lsn())) {
                        throw new JournalException(JournalError.INCONSISTENT_POINT, "lsn:" + name.lsn()
                                + " lies inside the inconsistent window opened at lsn:" + w.open().value() + " ("
                                + w.reason() + ")" + (w.isOpen() ? ", still open" : ", closed at lsn:" + w.close().value()),
                                "choose an LSN before lsn:" + w.open().value()
                                        + (w.isOpen() ? "" : " or after lsn:" + w.close().value()));
                    }
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
