package org.boomerang.journal.archfixture;

import org.boomerang.sync.archfixture.SyncSideOfACycle;

/** Scratch fixture: one half of a cycle between two modules. */
public final class JournalSideOfACycle {
    public SyncSideOfACycle other() {
        return new SyncSideOfACycle();
    }
}
