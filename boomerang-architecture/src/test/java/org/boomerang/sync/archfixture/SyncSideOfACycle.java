package org.boomerang.sync.archfixture;

import org.boomerang.journal.archfixture.JournalSideOfACycle;

/** Scratch fixture: the other half of a cycle between two modules. */
public final class SyncSideOfACycle {
    public JournalSideOfACycle other() {
        return new JournalSideOfACycle();
    }
}
