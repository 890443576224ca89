package org.boomerang.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.boomerang.blockdev.ChangeMap;

/**
 * The training run behind the launcher's ahead-of-time cache (JDK 25, JEP 483/514/515): {@code bin/boomerang}
 * runs {@code java -XX:AOTCacheOutput=boomerang-KIND.aot -jar boomerang.jar __aot-training KIND} once per
 * build for each kind, and every later command starts from the classes its kind's run loaded and
 * linked, and the profiles it gathered, instead of reading and verifying them from the jar again.
 *
 * <ul>
 *   <li>{@code data}: the data-plane commands parsed on their own ({@code sync}, {@code nbd},
 *       {@code journal}); runs every sync mode with both outputs on two small scratch images.
 *   <li>{@code control}: everything else, through the whole command tree; runs the help of every command.
 * </ul>
 *
 * Two caches rather than one because every class in a cache is loaded at start: the whole tree's classes
 * (Jackson, the API client) made a sync start 90 ms later. Nothing is printed; the scratch directory is
 * deleted. A command not trained still works: its classes load from the jar as without a cache.
 */
final class AotTraining {
    private static final int SIZE = 8 << 20;
    private static final int BLOCK = ChangeMap.DEFAULT_BLOCK_SIZE;

    private AotTraining() {}

    static int run(String kind) throws IOException {
        if (kind.equals("control")) {
            quietly("--help");
            for (String command : new picocli.CommandLine(new org.boomerang.server.cli.BoomerangCommand()).getSubcommands().keySet()) {
                quietly(command, "--help");
            }
            return 0;
        }
        if (!kind.equals("data")) {
            throw new IllegalArgumentException("training kind must be data or control: " + kind);
        }
        Path dir = Files.createTempDirectory("boomerang-aot-training");
        try {
            train(dir);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void train(Path dir) throws IOException {
        Path source = dir.resolve("source.img");
        Path target = dir.resolve("target.img");
        Path copy = dir.resolve("copy.img");
        Path changes = dir.resolve("changes.map");
        byte[] data = new byte[SIZE];
        new Random(1).nextBytes(data);
        java.util.Arrays.fill(data, SIZE / 2, SIZE / 2 + 4 * BLOCK, (byte) 0); // zeroes, then a hole below
        write(source, data);
        ChangeMap map = new ChangeMap(SIZE, BLOCK, UUID.nameUUIDFromBytes("aot-training".getBytes()));
        for (int block = 1; block < SIZE / BLOCK; block += 7) {
            data[block * BLOCK + 100] ^= 1;
            map.markBlock(block);
        }
        write(target, data);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(SIZE - 3 * BLOCK);
            ch.truncate(SIZE);
        }
        map.mark(SIZE - 3 * BLOCK, 3 * BLOCK);
        map.writeTo(changes);
        for (String output : new String[] {"text", "json"}) {
            quietly("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "verify", "--output", output);
            quietly("sync", "--source", source.toString(), "--target", target.toString(), "--mode", "tracked",
                    "--changes", changes.toString(), "--output", output);
            quietly("sync", "--source", target.toString(), "--target", source.toString(), "--mode", "delta", "--output", output);
            Files.deleteIfExists(copy);
            quietly("sync", "--source", source.toString(), "--target", copy.toString(), "--mode", "full", "--output", output);
        }
        quietly("sync", "--help");
    }

    private static void write(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Runs a command line, printing nothing; a bug (exit code of an internal error) stops the training. */
    private static void quietly(String... args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        int code = Main.run(args, nowhere, nowhere);
        if (code == org.boomerang.common.ErrorType.INTERNAL.exitCode()) {
            throw new IllegalStateException("training command failed with an internal error: " + String.join(" ", args));
        }
    }
}
