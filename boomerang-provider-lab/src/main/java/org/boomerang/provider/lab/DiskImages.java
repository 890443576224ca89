package org.boomerang.provider.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boomerang.common.BoomerangException;
import org.boomerang.provider.ProviderError;

/**
 * The image files of a lab estate's disks: sparse raw files at
 * {@code datastores/<datastore>/<machine>/<disk>.img} under the estate folder (the path is kept in
 * the estate, relative to the folder, so a disk attached to another machine keeps its file).
 * Creating an image that exists with the right size keeps it (a replayed create); deleting one that
 * is gone succeeds. Not thread-safe: called under the estate's lock.
 */
final class DiskImages {
    private final Path folder;

    DiskImages(Path folder) {
        this.folder = folder;
    }

    /** The relative path a new disk's image gets. */
    static String pathFor(String datastore, String machine, String disk) {
        return "datastores/" + safe(datastore) + "/" + safe(machine) + "/" + safe(disk) + ".img";
    }

    Path resolve(String relative) {
        Path p = folder.resolve(relative).normalize();
        if (!p.startsWith(folder.normalize())) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT, "image=" + relative + " lies outside the estate folder " + folder,
                    "keep image paths relative to the estate folder, without '..'");
        }
        return p;
    }

    /** Creates a sparse image of {@code size} bytes (no data blocks), fsynced with its folder. */
    void create(String relative, long size) {
        Path p = resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            if (Files.exists(p) && Files.size(p) == size) {
                return;
            }
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(size);
                f.getFD().sync();
            }
            EstateFile.forceFolder(p.getParent());
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot create the disk image " + p + ": " + e.getMessage(),
                    "check free space and permissions under the estate folder", e);
        }
    }

    /** Deletes an image and its machine folder when that is left empty. */
    void delete(String relative) {
        Path p = resolve(relative);
        try {
            Files.deleteIfExists(p);
            Path parent = p.getParent();
            if (Files.isDirectory(parent)) {
                try (var entries = Files.list(parent)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(parent);
                    }
                }
            }
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot delete the disk image " + p + ": " + e.getMessage(),
                    "check permissions under the estate folder, then retry", e);
        }
    }

    /** Ids may come from operators: keep them to one path segment. */
    private static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }
}
