package org.boomerang.journal;

import org.boomerang.common.BoomerangException;

/** A refused request or a failed check of the replica journal; see {@link JournalError} for the codes. */
public class JournalException extends BoomerangException {
    public JournalException(JournalError code, String message, String hint) {
        super(code, message, hint);
    }

    public JournalException(JournalError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public JournalError code() {
        return (JournalError) super.code();
    }

    /** A corrupt record, with the segment and offset in key=value form so logs and operators can find it. */
    public static JournalException corruptRecord(String segment, long position, String why) {
        return new JournalException(JournalError.CORRUPT_RECORD,
                "corrupt journal record: segment=" + segment + " offset=" + position + " reason=" + why,
                "valid records follow it, so this is not a torn write; nothing from it was applied. "
                        + "Restore the journal directory from a copy, or fail over at a point before it");
    }
}
