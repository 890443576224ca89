package org.boomerang.journal.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.boomerang.journal.segment.SegmentFile;

/**
 * A small metadata file replaced atomically (Kafka's {@code CheckpointFile}): the new content goes to
 * {@code NAME.tmp}, is fsynced, renamed over {@code NAME}, and the directory is fsynced. A reader sees
 * the old content or the new, never a mix. Contents end with a CRC32C of every byte before it.
 *
 * <p>Thread-safety: stateless; callers serialise writers of one file.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes {@code content} plus its trailing CRC32C atomically. */
    public static void write(Path file, ByteBuffer content) throws IOException {
        ByteBuffer body = content.duplicate();
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer tail = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            while (body.hasRemaining()) {
                pos += ch.write(body, pos);
            }
            while (tail.hasRemaining()) {
                pos += ch.write(tail, pos);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        SegmentFile.fsyncDirectory(dir);
    }

    /**
     * Reads a file written by {@link #write}; returns its content without the checksum, or null when
     * the checksum does not match or the file is too short to hold one.
     */
    public static ByteBuffer readChecked(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 4) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            return null;
        }
        return ByteBuffer.wrap(bytes, 0, bytes.length - 4).slice();
    }
}
