package org.boomerang.journal.archfixture;

import org.boomerang.control.ControlError;

/** Scratch fixture: a data-plane class that imports the control plane (must break the rule). */
public final class JournalImportingControl {
    public ControlError leak() {
        return ControlError.values()[0];
    }
}
