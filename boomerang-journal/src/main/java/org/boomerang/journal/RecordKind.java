package org.boomerang.journal;

/**
 * The kinds of journal records. The byte ids are persisted in segment files and never change.
 */
public enum RecordKind {
    /** Data written at an offset. */
    WRITE(1),
    /** A range the disk no longer needs; it reads as zeroes. */
    TRIM(2),
    /** A range explicitly zeroed. */
    ZERO(3),
    /** A recovery point: no data, only a position with a time and a consistency kind. */
    MARKER(4),
    /**
     * Opens an inconsistent window: the records after it (a catch-up copy from a dirty map, in block
     * order rather than write order) do not show a state the source disk ever had, until the window closes.
     */
    WINDOW_OPEN(5),
    /** Closes the open inconsistent window: from the next record on, every LSN is write-order consistent again. */
    WINDOW_CLOSE(6);

    private final int id;

    RecordKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** True for records that change disk bytes. */
    public boolean changesData() {
        return switch (this) {
            case WRITE, TRIM, ZERO -> true;
            case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> false;
        };
    }

    /** The kind with the persisted id, or null when the id is unknown. */
    public static RecordKind fromId(int id) {
        for (RecordKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        return null;
    }
}
