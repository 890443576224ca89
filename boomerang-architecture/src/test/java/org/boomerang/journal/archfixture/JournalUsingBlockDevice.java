package org.boomerang.journal.archfixture;

import org.boomerang.blockdev.BlockDevice;

/** Scratch fixture: a data-plane class that keeps to the data plane. */
public final class JournalUsingBlockDevice {
    public long size(BlockDevice d) {
        return d.size();
    }
}
