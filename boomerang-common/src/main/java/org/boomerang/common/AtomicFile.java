package org.boomerang.common;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The one way Boomerang replaces a metadata file (Kafka's {@code CheckpointFile}, STYLE.md rule 3):
 * the new content goes to {@code NAME.tmp} in the same directory, is fsynced, renamed over
 * {@code NAME} with an atomic move, and the directory is fsynced. A reader sees the old content or
 * the new, never a mix, and after {@code write} returns the new content survives a crash.
 *
 * <p>A file system that cannot rename atomically is refused with an
 * {@link AtomicMoveNotSupportedException} that says where to put the data instead; the file is never
 * moved non-atomically, since that would leave a window in which a crash loses both versions. On any
 * failure the temporary file is removed and {@code NAME} is untouched.
 *
 * <p>{@link #writeChecked} / {@link #readChecked} add a trailing CRC32C (big-endian, of every byte
 * before it) for the binary stamps that must detect a torn or damaged file.
 *
 * <p>Thread-safety: stateless; callers serialise writers of one file.
 */
public final class AtomicFile {
    /** The suffix of the temporary file beside the target. */
    public static final String TMP_SUFFIX = ".tmp";
    private static final int CRC_BYTES = 4;

    /** Writes a file's content; may throw {@code E} as well as I/O errors. */
    @FunctionalInterface
    public interface Content<E extends Exception> {
        void writeTo(OutputStream out) throws IOException, E;
    }

    /** The rename step; a seam so that a test can play a file system without atomic moves. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    private static final Mover ATOMIC = (from, to) ->
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    private AtomicFile() {}

    /** Replaces {@code file} with {@code content} (its remaining bytes) atomically and durably. */
    public static void write(Path file, ByteBuffer content) throws IOException {
        ByteBuffer body = content.duplicate();
        write(file, null, out -> Channels.newChannel(out).write(body));
    }

    /** Replaces {@code file} with what {@code content} writes, atomically and durably. */
    public static <E extends Exception> void write(Path file, Content<E> content) throws IOException, E {
        write(file, null, content);
    }

    /**
     * Replaces {@code file} with what {@code content} writes; the file gets {@code permissions} before
     * any byte is written (e.g. owner-only for secrets). On a file system without POSIX permissions
     * the directory's own permissions protect it.
     */
    public static <E extends Exception> void write(Path file, Set<PosixFilePermission> permissions, Content<E> content)
            throws IOException, E {
        write(file, permissions, content, ATOMIC);
    }

    static <E extends Exception> void write(Path file, Set<PosixFilePermission> permissions, Content<E> content, Mover mover)
            throws IOException, E {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + TMP_SUFFIX);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                if (permissions != null) {
                    restrict(tmp, permissions);
                }
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                mover.move(tmp, file);
            } catch (AtomicMoveNotSupportedException e) {
                AtomicMoveNotSupportedException refusal = new AtomicMoveNotSupportedException(tmp.toString(), file.toString(),
                        "the file system under " + dir + " cannot rename atomically, so " + file.getFileName()
                                + " cannot be replaced safely; put it on a local POSIX file system (ext4, xfs)");
                refusal.initCause(e);
                throw refusal;
            }
            done = true;
            fsyncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** As {@link #write(Path, ByteBuffer)}, followed by a CRC32C of {@code content}. */
    public static void writeChecked(Path file, ByteBuffer content) throws IOException {
        ByteBuffer body = content.duplicate();
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer whole = ByteBuffer.allocate(body.remaining() + CRC_BYTES);
        whole.put(body).putInt((int) crc.getValue()).flip();
        write(file, whole);
    }

    /**
     * Reads a file written by {@link #writeChecked}; returns its content without the checksum, or null
     * when the checksum does not match or the file is too short to hold one.
     */
    public static ByteBuffer readChecked(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < CRC_BYTES) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - CRC_BYTES, CRC_BYTES).getInt()) {
            return null;
        }
        return ByteBuffer.wrap(bytes, 0, bytes.length - CRC_BYTES).slice();
    }

    /** Makes a directory's entries (a rename, a new or deleted file) durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void restrict(Path file, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own permissions protect the file.
        }
    }
}
