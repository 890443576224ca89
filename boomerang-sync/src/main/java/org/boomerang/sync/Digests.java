package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A run of 128-bit digests, one per block or region, as two longs each. This is what a remote
 * digester would send over the wire: {@link #wireBytes()} bytes.
 *
 * <p>Immutable after construction; the array is not copied, so the creator must not change it.
 */
public final class Digests {
    /** Bytes of one digest on the wire. */
    public static final int DIGEST_BYTES = 16;

    private final long[] words;

    public Digests(long[] words) {
        this.words = requireNonNull(words, "words is null");
        if (words.length % 2 != 0) {
            throw new IllegalArgumentException("digest words come in pairs: " + words.length);
        }
    }

    public int count() {
        return words.length / 2;
    }

    public long high(int index) {
        return words[2 * index];
    }

    public long low(int index) {
        return words[2 * index + 1];
    }

    /** True when entry {@code index} of both runs is the same digest. */
    public boolean sameAt(int index, Digests other) {
        return words[2 * index] == other.words[2 * index] && words[2 * index + 1] == other.words[2 * index + 1];
    }

    public long wireBytes() {
        return (long) count() * DIGEST_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digests d && Arrays.equals(words, d.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }
}
