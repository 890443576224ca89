package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.nbd.client.NbdBlockDevice;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.provider.lab.GuestFilesystem;
import org.boomerang.provider.lab.SampleEstate;

/**
 * Checks the ext4 filesystem a sample disk holds ({@link SampleEstate.Filesystem}): {@code e2fsck -fn}
 * (read-only, forced) finds it clean, and every file of the manifest reads back through
 * {@code debugfs -R 'cat FILE'} with its SHA-256. A disk seen through NBD has its filesystem region
 * copied to a sparse temporary image first (zero chunks are skipped), so the check never writes to
 * the disk and works on any export. Needs e2fsprogs ({@code DEMO_TOOL_MISSING} without).
 * Stateless and thread-safe.
 */
public final class FilesystemCheck {
    private static final long TIMEOUT_SECONDS = 300;
    private static final int CHUNK = 1 << 20;

    /** The outcome: e2fsck's exit code and output, each file's digest as found (absent: unreadable), and what is wrong. */
    public record Result(int fsckExit, String fsckOutput, Map<String, String> found, List<String> problems) {
        public Result {
            found = java.util.Collections.unmodifiableMap(new TreeMap<>(found));
            problems = List.copyOf(problems);
        }

        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private FilesystemCheck() {}

    /** Checks the filesystem of the disk exported at {@code uri}, copying its region into a temporary file under {@code temp}. */
    public static Result overNbd(NbdUri uri, SampleEstate.Filesystem fs, Path temp) throws IOException {
        requireNonNull(uri, "uri is null");
        Path copy = Files.createTempFile(temp, "fs-", ".img");
        try {
            try (NbdBlockDevice disk = NbdBlockDevice.open(uri);
                 FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
                for (long at = 0; at < fs.sizeBytes(); at += CHUNK) {
                    buf.clear().limit((int) Math.min(CHUNK, fs.sizeBytes() - at));
                    disk.read(fs.offsetBytes() + at, buf);
                    buf.flip();
                    if (!zeros(buf)) {
                        while (buf.hasRemaining()) {
                            out.write(buf, at + buf.position());
                        }
                    }
                }
            }
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.setLength(fs.sizeBytes());
            }
            return ofImage(copy, new SampleEstate.Filesystem(fs.type(), 0, fs.sizeBytes(), fs.files()));
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Checks the filesystem in the image file {@code image}; its region must start at offset 0 of the file. */
    public static Result ofImage(Path image, SampleEstate.Filesystem fs) {
        return ofImage(image, fs, GuestFilesystem::find);
    }

    /** As {@link #ofImage(Path, SampleEstate.Filesystem)}, finding the e2fsprogs tools with {@code tools} (tests). */
    static Result ofImage(Path image, SampleEstate.Filesystem fs, Function<String, Optional<Path>> tools) {
        requireNonNull(image, "image is null");
        requireNonNull(fs, "fs is null");
        if (fs.offsetBytes() != 0) {
            throw new IllegalArgumentException("the filesystem starts at " + fs.offsetBytes() + "; copy its region to a file of its own first");
        }
        List<String> problems = new ArrayList<>();
        Path e2fsck = tool(tools, "e2fsck");
        String debugfs = tool(tools, "debugfs").toString();
        Output fsck = run(List.of(e2fsck.toString(), "-fn", image.toString()));
        if (fsck.exit() != 0) {
            problems.add("e2fsck -fn exited " + fsck.exit() + ": " + lastLines(new String(fsck.stdout(), StandardCharsets.UTF_8)));
        }
        Map<String, String> found = new TreeMap<>();
        for (Map.Entry<String, String> f : fs.files().entrySet()) {
            Output cat = run(List.of(debugfs, "-R", "cat " + f.getKey(), image.toString()));
            String stderr = new String(cat.stderr(), StandardCharsets.UTF_8);
            if (cat.exit() != 0 || stderr.contains("File not found") || stderr.contains("not found by ext2_lookup")) {
                problems.add(f.getKey() + " cannot be read: " + lastLines(stderr));
                continue;
            }
            String sum = HexFormat.of().formatHex(DiskDigest.newDigest().digest(cat.stdout()));
            found.put(f.getKey(), sum);
            if (!sum.equals(f.getValue())) {
                problems.add(f.getKey() + " has SHA-256 " + sum + ", not " + f.getValue());
            }
        }
        return new Result(fsck.exit(), new String(fsck.stdout(), StandardCharsets.UTF_8), found, problems);
    }

    private record Output(int exit, byte[] stdout, byte[] stderr) {}

    private static Path tool(Function<String, Optional<Path>> tools, String name) {
        return tools.apply(name).orElseThrow(() -> new BoomerangException(DemoError.DEMO_TOOL_MISSING,
                name + " is not installed, so the filesystems of the sample disks cannot be checked",
                "install e2fsprogs (Debian: apt-get install e2fsprogs), or compare the disks by their digests only"));
    }

    private static Output run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // stderr is small (messages); read it on a thread of its own so a chatty tool cannot block on a full pipe
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BoomerangException(DemoError.DEMO_TOOL_FAILED, command.getFirst() + " did not finish within " + TIMEOUT_SECONDS + " s",
                        "check the machine's load and run the check again");
            }
            return new Output(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new BoomerangException(DemoError.DEMO_TOOL_FAILED, "cannot run " + command.getFirst() + ": " + e.getMessage(),
                    "check that e2fsprogs is installed and runnable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoomerangException(DemoError.DEMO_TOOL_FAILED, "interrupted while " + command.getFirst() + " ran", "run the check again", e);
        }
    }

    private static boolean zeros(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
