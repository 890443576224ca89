package org.boomerang.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;

/**
 * An I/O failure that no module turned into its own typed error: a file, disk, socket or peer
 * failed under code that let the raw {@link IOException} (or {@link UncheckedIOException}) through.
 * The outermost handlers (the API's error renderer, the command line, the job runner, the portal)
 * use {@link #of(Throwable)} so such a failure reaches the user as {@code IO_FAILED} (category
 * {@link ErrorType#EXTERNAL}: retryable, HTTP 502, exit 8) naming what failed, never as "a bug".
 */
public enum IoError implements ErrorCode {
    /** A file, disk, socket or peer failed; the message names it and the system's reason. */
    IO_FAILED(ErrorType.EXTERNAL);

    private static final int MAX_DEPTH = 8;
    private final ErrorType type;

    IoError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }

    /**
     * The typed error for {@code failure} when an {@link IOException} is among its causes (and no
     * {@link BoomerangException} stands before it, which would already be typed); empty otherwise.
     */
    public static Optional<BoomerangException> of(Throwable failure) {
        return of(failure, "");
    }

    /** As {@link #of(Throwable)}, the message starting with {@code where} (e.g. the job step) when not empty. */
    public static Optional<BoomerangException> of(Throwable failure, String where) {
        Throwable c = failure;
        for (int depth = 0; c != null && depth < MAX_DEPTH; depth++) {
            if (c instanceof BoomerangException) {
                return Optional.empty();
            }
            if (c instanceof IOException io) {
                return Optional.of(new BoomerangException(IO_FAILED, (where.isEmpty() ? "" : where + ": ") + "I/O failed: " + describe(io),
                        "check what is named here (the file or disk exists, has space and the right permissions; the peer is up "
                                + "and reachable), then retry; the log has the details", failure));
            }
            c = c.getCause();
        }
        return Optional.empty();
    }

    /** What failed, in words: the path and the system's reason, without Java class names. */
    static String describe(IOException io) {
        return switch (io) {
            case NoSuchFileException e -> "no such file or folder: " + e.getFile();
            case AccessDeniedException e -> "permission denied: " + e.getFile();
            case FileAlreadyExistsException e -> "already exists: " + e.getFile();
            case NotDirectoryException e -> "not a folder: " + e.getFile();
            case FileSystemException e -> e.getFile() + (e.getOtherFile() == null ? "" : " → " + e.getOtherFile()) + ": "
                    + (e.getReason() == null ? "failed" : e.getReason());
            default -> io.getMessage() == null || io.getMessage().isBlank() ? io.getClass().getSimpleName() : io.getMessage();
        };
    }
}
