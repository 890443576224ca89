package org.boomerang.dataplane.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The I/O seam through which the capture persists its metadata (the dirty map and the capture
 * state): each call replaces a whole file atomically and durably (Kafka's {@code CheckpointFile}):
 * temp file, fsync, rename, directory fsync. Tests wrap {@link #ATOMIC} to count the fsyncs or make
 * one fail.
 */
@FunctionalInterface
public interface MetadataWriter {
    /** Replaces {@code file} with {@code content} (position to limit); durable on return. */
    void replace(Path file, ByteBuffer content) throws IOException;

    MetadataWriter ATOMIC = (file, content) -> {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        ByteBuffer body = content.duplicate();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            while (body.hasRemaining()) {
                pos += ch.write(body, pos);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    };
}
