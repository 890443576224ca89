package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.common.SyncMode;

/**
 * One sync as asked for.
 *
 * @param changeMaps         tracked mode: the change-map files whose union is sent
 * @param expectedGeneration tracked mode: the generation every map must carry, when the caller knows it
 */
public record SyncRequest(SyncMode mode, SyncDisk source, SyncDisk target, List<Path> changeMaps,
        Optional<UUID> expectedGeneration) {
    public SyncRequest {
        requireNonNull(mode, "mode is null");
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        changeMaps = List.copyOf(changeMaps);
        requireNonNull(expectedGeneration, "expectedGeneration is null");
    }

    public static SyncRequest of(SyncMode mode, SyncDisk source, SyncDisk target) {
        return new SyncRequest(mode, source, target, List.of(), Optional.empty());
    }
}
