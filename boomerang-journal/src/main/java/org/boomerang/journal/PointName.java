package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A recovery point as an operator names it on {@code --at} and {@code --point} (SPEC §6):
 * {@code latest}, {@code latest-processed}, {@code latest-app-consistent}, {@code lsn:N} or a point id.
 *
 * <ul>
 *   <li>{@code latest}: the newest durable record; every LSN is crash-consistent.
 *   <li>{@code latest-processed}: the newest marker of any kind (the last point the master target
 *       recorded as a recovery point).
 *   <li>{@code latest-app-consistent}: the newest application-consistent marker.
 *   <li>{@code lsn:N}: any retained LSN, from the base LSN to the newest.
 *   <li>otherwise a point id, or an unambiguous prefix of one of at least 8 characters.
 * </ul>
 */
public record PointName(Form form, long lsn, String id) {
    /** How the point was named. */
    public enum Form {
        LATEST,
        LATEST_PROCESSED,
        LATEST_APP_CONSISTENT,
        LSN,
        ID
    }

    public PointName {
        requireNonNull(form, "form is null");
        requireNonNull(id, "id is null");
    }

    public static PointName parse(String text) {
        requireNonNull(text, "text is null");
        String s = text.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "latest" -> {
                return new PointName(Form.LATEST, 0, "");
            }
            case "latest-processed" -> {
                return new PointName(Form.LATEST_PROCESSED, 0, "");
            }
            case "latest-app-consistent" -> {
                return new PointName(Form.LATEST_APP_CONSISTENT, 0, "");
            }
            default -> {
                // fall through to the forms with a value
            }
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("lsn:")) {
            try {
                long n = Long.parseLong(s.substring(4));
                if (n >= 0) {
                    return new PointName(Form.LSN, n, "");
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(text);
        }
        if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
            throw bad(text);
        }
        return new PointName(Form.ID, 0, s);
    }

    private static JournalException bad(String text) {
        return new JournalException(JournalError.BAD_POINT_NAME, "not a recovery point name: '" + text + "'",
                "write latest, latest-processed, latest-app-consistent, lsn:N or a point id from 'boomerang journal points'");
    }
}
