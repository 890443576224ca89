package org.boomerang.common;

/**
 * The consistency a marker record promises (SPEC §2.1). The byte ids are persisted in segment files
 * and never change.
 */
public enum MarkerKind {
    /** A crash-consistent point: the disk as after a power cut at that moment. */
    CRASH(1, "crash"),
    /** An application-consistent point: taken between pre-freeze and post-thaw. */
    APP(2, "app"),
    /** A group point: one consistent cut across every disk of a replication group. */
    GROUP(3, "group");

    private final int id;
    private final String label;

    MarkerKind(int id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The persisted byte id. */
    public int id() {
        return id;
    }

    /** The lower-case name printed by the CLI. */
    public String label() {
        return label;
    }

    /** The kind with the persisted id, or null when the id is unknown (a corrupt or newer record). */
    public static MarkerKind fromId(int id) {
        for (MarkerKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        return null;
    }
}
