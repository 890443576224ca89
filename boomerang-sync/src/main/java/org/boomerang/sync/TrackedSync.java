package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.common.SyncMode;

/**
 * Tracked sync: sends the union of trusted change maps (the recovered side's overlay map and the
 * primary's changes after the recovery point) without reading any other block and without reading
 * the target at all. Untrusted maps refuse the sync ({@link TrustedChangeMaps}); it never falls back
 * to a full copy on its own.
 */
final class TrackedSync {
    private final SyncContext context;
    private final List<Path> changeMaps;
    private final Optional<UUID> expectedGeneration;

    TrackedSync(SyncContext context, List<Path> changeMaps, Optional<UUID> expectedGeneration) {
        this.context = requireNonNull(context, "context is null");
        this.changeMaps = List.copyOf(changeMaps);
        this.expectedGeneration = requireNonNull(expectedGeneration, "expectedGeneration is null");
    }

    SyncReport run() throws IOException {
        ChangeMap union = TrustedChangeMaps.union(changeMaps, context.size(), expectedGeneration);
        List<ByteRange> ranges = new ArrayList<>();
        union.forEachRunChecked((offset, length) -> ranges.add(new ByteRange(offset, length)));
        context.copier().copy(ranges);
        context.target.device().flush();
        context.notes.add(changeMaps.size() + " change map(s) of generation " + union.generation() + ", "
                + union.markedCount() + " blocks of " + union.blockSize() + " bytes marked");
        return context.report(SyncMode.TRACKED, List.of());
    }
}
