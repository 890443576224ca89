package org.boomerang.server.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.FileTrees;
import org.boomerang.server.DataFolderLock;
import org.boomerang.server.ServerError;

/**
 * The data folder of {@code boomerang demo}: stamped with {@link #MARKER} when the demo creates it,
 * so that {@code --reset} only ever empties a folder the demo made, and a folder holding anything
 * else (a real server's data, a home folder given by mistake) is refused with
 * {@code DEMO_FOLDER_NOT_DEMO}. The marker is an empty file written atomically.
 */
final class DemoFolder {
    /** The stamp of a demo's data folder. */
    static final String MARKER = ".boomerang-demo";

    private DemoFolder() {}

    /**
     * Makes {@code folder} ready: created and stamped when absent or empty, kept when stamped,
     * emptied (under the data folder's lock, so not under a running demo) and stamped again when
     * {@code reset}. Returns true when the folder was new or reset, false when reused.
     */
    static boolean prepare(Path folder, boolean reset, String owner) {
        try {
            boolean exists = Files.isDirectory(folder);
            boolean empty = !exists || isEmpty(folder);
            if (!empty && !Files.exists(folder.resolve(MARKER))) {
                throw new BoomerangException(DemoError.DEMO_FOLDER_NOT_DEMO,
                        "the folder " + folder.toAbsolutePath() + " is not empty and was not made by 'boomerang demo'",
                        "give --data a new or empty folder (default ./boomerang-demo); the demo never empties a folder it did not make");
            }
            if (!empty && !reset) {
                return false;
            }
            Files.createDirectories(folder);
            if (reset && !empty) {
                try (DataFolderLock lock = DataFolderLock.acquire(folder, owner)) {
                    try (Stream<Path> top = Files.list(folder)) {
                        for (Path p : top.toList()) {
                            if (!p.equals(lock.file())) {
                                FileTrees.delete(p);
                            }
                        }
                    }
                }
            }
            AtomicFile.write(folder.resolve(MARKER), java.nio.ByteBuffer.allocate(0));
            return true;
        } catch (IOException e) {
            throw new BoomerangException(ServerError.DATA_FOLDER_UNUSABLE, "cannot prepare the demo folder " + folder + ": " + e.getMessage(),
                    "give --data a writable folder", e);
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

}
