package org.boomerang.provider;

/** Scratch fixture: what an SPI may hold. */
public record SpiHoldingARecord(String name) {}
