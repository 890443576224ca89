package org.boomerang.provider;

/** Scratch fixture: an implementation class inside the SPI package (must break the rule). */
public final class SpiHoldingAClass {
    public int answer() {
        return 42;
    }
}
