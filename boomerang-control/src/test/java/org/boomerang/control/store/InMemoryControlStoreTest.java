package org.boomerang.control.store;

import org.boomerang.control.testing.InMemoryControlStore;

class InMemoryControlStoreTest extends ControlStoreContract {
    @Override
    protected ControlStore open() {
        return new InMemoryControlStore();
    }
}
