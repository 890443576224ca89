package org.boomerang.stream;

import java.io.IOException;
import java.util.List;
import org.boomerang.stream.proto.Record;

/**
 * The replica side of one disk's stream at a receiver (the process server's cache, the master
 * target's journal), opened by {@link StreamReceiver#open} for each hello.
 *
 * <p>Contract: {@link #append} gets records already checked by {@link FrameCheck} (their writes decoded
 * and their CRC32C checked: {@link WriteCodec#checked} gives the bytes without checking again), consecutive from
 * {@link #durableLsn()} + 1 across calls; {@link #sync} makes every appended record durable and returns
 * the durable LSN, which is then acknowledged to the sender. Called by one worker thread at a time.
 */
public interface ReceiverSession extends AutoCloseable {
    /** The newest LSN durable here when the session opened (the sender resumes after it). */
    long durableLsn();

    /** The newest LSN durable at the master target, as far as this receiver knows. */
    long targetDurableLsn();

    void append(List<Record> records) throws IOException;

    long sync() throws IOException;

    /** The stream ended (closed by either side or superseded by a newer stream of the disk). */
    @Override
    void close();
}
