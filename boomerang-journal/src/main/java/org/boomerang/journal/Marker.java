package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.common.MarkerKind;

/**
 * The content of a marker record: a recovery point's consistency kind, id, wall time, replication
 * group and free-form tag. {@code groupId} and {@code tag} are empty when unset.
 */
public record Marker(MarkerKind kind, String pointId, Instant time, String groupId, String tag) {
    /** The longest id, group id or tag in UTF-8 bytes (a u16 length in the record). */
    public static final int MAX_TEXT_BYTES = 1024;

    public Marker {
        requireNonNull(kind, "kind is null");
        requireNonNull(pointId, "pointId is null");
        requireNonNull(time, "time is null");
        requireNonNull(groupId, "groupId is null");
        requireNonNull(tag, "tag is null");
        if (pointId.isBlank()) {
            throw new IllegalArgumentException("point id must not be blank");
        }
        for (String s : new String[] {pointId, groupId, tag}) {
            if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("marker text longer than " + MAX_TEXT_BYTES + " bytes: " + s);
            }
        }
    }
}
