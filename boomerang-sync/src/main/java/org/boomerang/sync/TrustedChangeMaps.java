package org.boomerang.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.blockdev.BlockDeviceException;
import org.boomerang.blockdev.ChangeMap;

/**
 * Loads the change maps of a tracked sync and decides whether they can be trusted (SPEC §2.4). A map
 * is trusted only when it exists, passes its checksum, describes a disk of the sync's size, and
 * carries the same generation id as every other map (and as {@code expected}, when the caller knows
 * the generation). Anything else refuses tracked mode with the reason; the caller may then run a
 * delta sync, which needs no map. The union of the trusted maps is what tracked sync sends.
 */
final class TrustedChangeMaps {
    private TrustedChangeMaps() {}

    static ChangeMap union(List<Path> files, long diskSize, Optional<UUID> expected) throws IOException {
        if (files.isEmpty()) {
            throw new SyncException(SyncError.SYNC_TRACKED_NO_CHANGE_MAPS, "tracked sync needs at least one change map",
                    "pass --changes MAPFILE (e.g. from 'boomerang journal changes'), or run --mode delta");
        }
        ChangeMap union = null;
        Path first = null;
        for (Path file : files) {
            ChangeMap map = load(file);
            if (map.deviceSize() != diskSize) {
                throw refuse(SyncError.SYNC_TRACKED_GEOMETRY_MISMATCH, "change map " + file + " describes a disk of "
                        + map.deviceSize() + " bytes but the disks are " + diskSize + " bytes");
            }
            if (expected.isPresent() && !expected.get().equals(map.generation())) {
                throw refuse(SyncError.SYNC_TRACKED_GENERATION_MISMATCH, "change map " + file + " has generation "
                        + map.generation() + " but generation " + expected.get() + " was expected");
            }
            if (union == null) {
                union = new ChangeMap(map.deviceSize(), map.blockSize(), map.generation());
                first = file;
            } else if (!union.generation().equals(map.generation())) {
                throw refuse(SyncError.SYNC_TRACKED_GENERATION_MISMATCH, "change map " + file + " has generation "
                        + map.generation() + " but " + first + " has generation " + union.generation()
                        + ": they do not describe the same disk lineage");
            } else if (union.blockSize() != map.blockSize()) {
                throw refuse(SyncError.SYNC_TRACKED_GEOMETRY_MISMATCH, "change map " + file + " has block size "
                        + map.blockSize() + " but " + first + " has " + union.blockSize());
            }
            union.addAll(map);
        }
        return union;
    }

    private static ChangeMap load(Path file) throws IOException {
        try {
            return ChangeMap.readFrom(file);
        } catch (BlockDeviceException e) {
            switch (e.code()) {
                case NOT_FOUND -> throw refuse(SyncError.SYNC_TRACKED_MAP_MISSING, "change map " + file
                        + " does not exist (lost in a crash, or never written)");
                case CHANGE_MAP_DAMAGED -> throw refuse(SyncError.SYNC_TRACKED_MAP_DAMAGED, e.getMessage());
                case OUT_OF_RANGE, READ_ONLY, BAD_SIZE, IO_FAILED, FSYNC_FAILED -> throw e;
            }
            throw e;
        }
    }

    private static SyncException refuse(SyncError code, String why) {
        return new SyncException(code, "tracked sync refused: " + why,
                "the change maps cannot be trusted; run 'boomerang sync --mode delta' instead, which compares digests");
    }
}
