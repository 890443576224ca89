package org.boomerang.stream;

import java.io.IOException;
import org.boomerang.stream.proto.Hello;

/**
 * What a receiving role plugs into {@link ReplicationService}: it opens a {@link ReceiverSession} for a
 * disk's hello, or refuses it with a {@link StreamException} (unknown disk, wrong generation …).
 * At most one session of a disk is open at a time: the service closes the older one first.
 */
public interface StreamReceiver {
    /**
     * Opens the disk's session. {@code acks} sends an acknowledgement on this stream at any time (the
     * process server relays the master target's acknowledgements through it).
     */
    ReceiverSession open(Hello hello, String peer, AckChannel acks) throws IOException;

    /** Talks back on a stream; thread-safe, a no-op once the stream ended. */
    interface AckChannel {
        /** Sends an acknowledgement. */
        void ack(long durableLsn, long targetDurableLsn);

        /**
         * Refuses the stream and ends it (the process server passes a master target's {@code FENCED} on to
         * the agent this way); the refusal carries {@code why}'s code, message and receiver epoch.
         */
        void refuse(StreamException why);
    }
}
