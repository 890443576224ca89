package org.boomerang.dataplane.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.boomerang.common.AtomicFile;

/**
 * The I/O seam through which the capture persists its metadata (the dirty map and the capture
 * state): each call replaces a whole file atomically and durably through {@link AtomicFile} (temp
 * file, fsync, atomic rename, directory fsync; a file system without atomic renames is refused).
 * Tests wrap {@link #ATOMIC} to count the fsyncs or make one fail.
 */
@FunctionalInterface
public interface MetadataWriter {
    /** Replaces {@code file} with {@code content} (position to limit); durable on return. */
    void replace(Path file, ByteBuffer content) throws IOException;

    MetadataWriter ATOMIC = AtomicFile::write;
}
