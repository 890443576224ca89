package org.boomerang.control.dataplane;

/** How consistent a recovery point is (FB-15). "Latest" points are crash-consistent. */
public enum Consistency {
    CRASH,
    /** Application-consistent: a pre-freeze/post-thaw marker. */
    APP
}
