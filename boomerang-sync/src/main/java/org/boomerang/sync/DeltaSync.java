package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import org.boomerang.common.SyncMode;

/**
 * Delta sync (original location recovery): both sides digest their blocks through a
 * {@link BlockDigester}, coarse regions first and fine blocks inside differing regions
 * ({@link DigestComparison}); only the differing blocks are read again from the source and sent.
 * Differing blocks that are zero on the source become zero ranges on the target.
 */
final class DeltaSync {
    private final SyncContext context;
    private final BlockDigester sourceDigester;
    private final BlockDigester targetDigester;

    DeltaSync(SyncContext context, BlockDigester sourceDigester, BlockDigester targetDigester) {
        this.context = requireNonNull(context, "context is null");
        this.sourceDigester = requireNonNull(sourceDigester, "sourceDigester is null");
        this.targetDigester = requireNonNull(targetDigester, "targetDigester is null");
    }

    SyncReport run() throws IOException {
        context.copier().copy(context.compareDigests(sourceDigester, targetDigester));
        context.target.device().flush();
        return context.report(SyncMode.DELTA, List.of());
    }
}
