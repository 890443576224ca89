package org.boomerang.sync;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The digest of an all-zero block per length, computed once: the digest of every hole. Thread-safe. */
final class ZeroDigests {
    private static final ConcurrentMap<Integer, long[]> BY_LENGTH = new ConcurrentHashMap<>();

    private ZeroDigests() {}

    static long[] of(int length) {
        return BY_LENGTH.computeIfAbsent(length, BlockHash::zeroDigest);
    }
}
