package org.boomerang.dataplane.capture;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;

/**
 * The agent's outgoing change stream of one protected disk: the seam between capture (what the guest
 * wrote, the dirty map, catch-up) and transport (the stream sender). It never assumes which site is
 * primary.
 *
 * <p>Protocol: the sender {@linkplain #resume resumes} the feed at the receiver's durable LSN whenever
 * it (re)connects, then {@linkplain #poll polls} changes with consecutive LSNs from there and reports
 * two acknowledgements: {@link #released} when a change is durable at the next hop (the process
 * server's cache: the feed may drop it from memory) and {@link #durableAtTarget} when it is durable in
 * the master target's journal (the dirty map may forget its extents). Changes not yet released are
 * sent again after a resume; if the feed no longer holds them (its queue overflowed, or the agent
 * restarted), it answers with an inconsistent window: a catch-up from the dirty map numbered from the
 * resume point.
 *
 * <p>Thread-safety: one sender thread polls; acknowledgements and {@link #mark} may come from other
 * threads.
 */
public interface ChangeFeed extends AutoCloseable {
    DiskId disk();

    /** The disk's size in bytes. */
    long size();

    /**
     * Positions the feed so that the next {@link #poll} returns the change with LSN
     * {@code receiverDurableLsn + 1}. LSNs above it that were issued before and never became durable at
     * the receiver are numbered anew (the same changes again, or a catch-up window), so the journal sees
     * neither a gap nor a repeat. Acknowledgements ({@link #released}, {@link #durableAtTarget}) after a
     * resume must refer to this numbering: drop those of a connection that was replaced.
     *
     * @throws org.boomerang.common.BoomerangException when the receiver is ahead of anything this feed
     *     ever issued (a replica from another lineage), or behind what the master target had acknowledged
     *     (it lost acknowledged changes): the pair needs a resync ({@code RECEIVER_AHEAD},
     *     {@code RECEIVER_BEHIND} of {@link CaptureError})
     */
    void resume(long receiverDurableLsn) throws IOException;

    /**
     * The next changes in LSN order, at most about {@code maxBytes} of payload (at least one change
     * when any is ready); empty when none came within {@code timeout}.
     */
    List<CapturedChange> poll(int maxBytes, Duration timeout) throws IOException, InterruptedException;

    /** Every change up to {@code lsn} is durable at the next hop; the feed may drop them from memory. */
    void released(long lsn);

    /** Every change up to {@code lsn} is durable in the replica journal; their extents may leave the dirty map. */
    void durableAtTarget(long lsn) throws IOException;

    /**
     * Puts a recovery point into the stream after every write acknowledged so far; empty (and no marker)
     * while an inconsistent window is open, because no point may be offered inside one.
     */
    Optional<CapturedChange.Mark> mark(MarkerKind kind, String groupId, String tag) throws IOException;

    /** The newest LSN issued so far (0 before the first change). */
    long lastLsn();

    @Override
    void close() throws IOException;
}
