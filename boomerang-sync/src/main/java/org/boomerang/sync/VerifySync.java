package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.boomerang.common.SyncMode;

/**
 * Verify: digest-compares every block of both disks (the same compare as delta sync) and reports the
 * differing ranges; writes nothing. The caller turns differences into a non-zero exit.
 */
final class VerifySync {
    private final SyncContext context;
    private final BlockDigester sourceDigester;
    private final BlockDigester targetDigester;

    VerifySync(SyncContext context, BlockDigester sourceDigester, BlockDigester targetDigester) {
        this.context = requireNonNull(context, "context is null");
        this.sourceDigester = requireNonNull(sourceDigester, "sourceDigester is null");
        this.targetDigester = requireNonNull(targetDigester, "targetDigester is null");
    }

    SyncReport run() throws IOException {
        return context.report(SyncMode.VERIFY, context.compareDigests(sourceDigester, targetDigester));
    }
}
