package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;

/**
 * A recovery point as an operator names it (SPEC §6): {@code latest}, {@code latest-processed},
 * {@code latest-app-consistent}, a point id, or {@code lsn:N}.
 */
public record PointRequest(PointChoice choice, String value) {
    public static final PointRequest LATEST_PROCESSED = new PointRequest(PointChoice.LATEST_PROCESSED, "");

    public PointRequest {
        requireNonNull(choice, "choice is null");
        requireNonNull(value, "value is null");
    }

    public static PointRequest parse(String text) {
        String t = requireNonNull(text, "text is null").trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "latest" -> {
                return new PointRequest(PointChoice.LATEST, "");
            }
            case "latest-processed" -> {
                return LATEST_PROCESSED;
            }
            case "latest-app-consistent" -> {
                return new PointRequest(PointChoice.LATEST_APP_CONSISTENT, "");
            }
            default -> {
                if (t.isEmpty()) {
                    throw new BoomerangException(ControlError.INVALID_REQUEST, "empty recovery point",
                            "name one: latest, latest-processed, latest-app-consistent, a point id, or lsn:N");
                }
                if (t.startsWith("lsn:")) {
                    try {
                        Long.parseLong(t.substring(4));
                    } catch (NumberFormatException e) {
                        throw new BoomerangException(ControlError.INVALID_REQUEST, "not an LSN: " + t,
                                "write lsn:N with a decimal N", e);
                    }
                    return new PointRequest(PointChoice.LSN, t.substring(4));
                }
                return new PointRequest(PointChoice.POINT_ID, t);
            }
        }
    }

    @Override
    public String toString() {
        return switch (choice) {
            case LATEST -> "latest";
            case LATEST_PROCESSED -> "latest-processed";
            case LATEST_APP_CONSISTENT -> "latest-app-consistent";
            case POINT_ID -> value;
            case LSN -> "lsn:" + value;
        };
    }
}
