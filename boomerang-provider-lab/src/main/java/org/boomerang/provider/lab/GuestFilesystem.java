package org.boomerang.provider.lab;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.provider.ProviderError;

/**
 * A real ext4 filesystem put at the start of a lab disk's image with {@code mkfs.ext4 -d DIR}, so
 * that a guest's files exist on the disk before anything is replicated. The filesystem covers only
 * {@code fsBytes} from offset 0 (the sample estate gives it the first half of the disk): whatever is
 * written after it leaves {@code e2fsck -fn} clean. The image keeps its size and stays sparse
 * ({@code -E nodiscard}, the tool never writes past the filesystem).
 *
 * <p>e2fsprogs is optional: {@link #tool()} is empty without it and the caller makes plain disks.
 * Stateless and thread-safe.
 */
public final class GuestFilesystem {
    /** The ext4 block size used, so that the filesystem's size is exact whatever mkfs's defaults are. */
    public static final int BLOCK_SIZE = 4096;
    /** The smallest filesystem made: below this mkfs.ext4 refuses or leaves no room for files. */
    public static final long MIN_BYTES = 4L << 20;
    private static final List<String> FOLDERS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");
    private static final long TIMEOUT_SECONDS = 120;

    private GuestFilesystem() {}

    /** The path of an e2fsprogs tool ({@code mkfs.ext4}, {@code e2fsck}, {@code debugfs}): the usual folders, then PATH. */
    public static Optional<Path> find(String name) {
        List<String> folders = new ArrayList<>(FOLDERS);
        String path = System.getenv("PATH");
        if (path != null) {
            folders.addAll(List.of(path.split(":")));
        }
        return folders.stream().filter(f -> !f.isBlank()).map(f -> Path.of(f, name)).filter(Files::isExecutable).findFirst();
    }

    /** {@code mkfs.ext4}, when e2fsprogs is installed. */
    public static Optional<Path> tool() {
        return find("mkfs.ext4");
    }

    /**
     * Makes an ext4 filesystem of {@code fsBytes} (a multiple of {@link #BLOCK_SIZE}, at least
     * {@link #MIN_BYTES}, at most the image's size) at the start of {@code image}, holding the
     * tree of {@code content} (owned by root), labelled {@code label} (at most 16 bytes are kept).
     */
    public static void make(Path mkfs, Path image, long fsBytes, Path content, String label) {
        requireNonNull(mkfs, "mkfs is null");
        requireNonNull(image, "image is null");
        requireNonNull(content, "content is null");
        requireNonNull(label, "label is null");
        long imageSize;
        try {
            imageSize = Files.size(image);
        } catch (IOException e) {
            throw failed("cannot read the size of the disk image " + image + ": " + e.getMessage(), e);
        }
        if (fsBytes % BLOCK_SIZE != 0 || fsBytes < MIN_BYTES || fsBytes > imageSize) {
            throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                    "an ext4 filesystem of " + fsBytes + " bytes does not fit the disk image " + image + " of " + imageSize + " bytes",
                    "give it a multiple of " + BLOCK_SIZE + " bytes between " + MIN_BYTES + " and the image's size");
        }
        String shortLabel = label.length() > 16 ? label.substring(0, 16) : label;
        List<String> command = List.of(mkfs.toString(), "-F", "-q", "-t", "ext4", "-b", Integer.toString(BLOCK_SIZE),
                "-E", "nodiscard,root_owner=0:0", "-L", shortLabel, "-d", content.toString(), image.toString(),
                Long.toString(fsBytes / BLOCK_SIZE));
        run(command, image);
    }

    private static void run(List<String> command, Path image) {
        Process p;
        try {
            // mke2fs asks before overwriting when stdin is a terminal; -F and no stdin keep it quiet
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw failed("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failed(command.getFirst() + " did not finish within " + TIMEOUT_SECONDS + " s on " + image, null);
            }
            if (p.exitValue() != 0) {
                throw failed(String.join(" ", command) + " exited " + p.exitValue() + ": " + output, null);
            }
        } catch (IOException e) {
            throw failed("cannot read the output of " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failed("interrupted while " + command.getFirst() + " ran on " + image, e);
        }
    }

    private static BoomerangException failed(String message, Throwable cause) {
        return new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, message,
                "check that e2fsprogs (mkfs.ext4 1.43 or later, for -d) is installed and the estate folder has free space", cause);
    }
}
