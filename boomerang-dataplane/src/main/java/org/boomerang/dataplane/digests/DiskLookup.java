package org.boomerang.dataplane.digests;

import java.io.IOException;
import java.util.Optional;
import org.boomerang.blockdev.BlockDevice;

/**
 * What a {@link DigestService} digests: the disk a request names, opened for one answer. The agent
 * answers with its protected images, the master target with a view of a journal.
 */
@FunctionalInterface
public interface DiskLookup {
    /** The disk called {@code name}, or empty when this role serves no such disk. */
    Optional<Opened> open(String name) throws IOException;

    /**
     * One opened disk: the device, a description for reports (e.g. "journal disk0 at lsn 812"), and
     * what to release when the answer is done (the device itself when it was opened for it).
     */
    record Opened(BlockDevice device, String state, AutoCloseable release) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                release.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
