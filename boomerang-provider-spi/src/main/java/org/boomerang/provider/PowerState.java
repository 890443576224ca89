package org.boomerang.provider;

/** The power state of a machine as its provider reports it. */
public enum PowerState {
    ON,
    OFF
}
