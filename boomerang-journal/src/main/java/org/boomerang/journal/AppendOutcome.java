package org.boomerang.journal;

/** What an append at an expected LSN ({@link Journal#appendAt}) did. */
public enum AppendOutcome {
    /** The record was appended at the expected LSN (durable after {@link Journal#awaitDurable}). */
    APPENDED,
    /**
     * The journal already held this very record at that LSN (a resend after a reconnect): nothing was
     * written. At or below the base LSN, where records are folded into the base image and can no longer
     * be compared, a resend is taken as a duplicate too.
     */
    DUPLICATE
}
