package org.boomerang.common;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Bounded exponential backoff with jitter, for retrying an operation that lost a race (an optimistic
 * version conflict) or met a passing failure. Attempt {@code n} (from 1) waits a random time in
 * {@code [d/2, d]} where {@code d = min(max, first * 2^(n-1))}: the wait grows so that a busy peer
 * gets room, is capped so that a retry never sleeps long, and is spread so that writers that collided
 * once do not collide again in step. After {@link #attempts()} attempts the caller gives up with an
 * error that says so ({@link #describe()} names what was tried).
 *
 * <p>Thread-safety: immutable apart from the random source, which must be thread-safe when shared
 * (the default is). Time is a seam: tests pass a {@link Sleeper} that records instead of sleeping.
 */
public final class Backoff {
    /** Sleeps; the seam tests replace. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d);
    private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final Duration first;
    private final Duration max;
    private final int attempts;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public Backoff(Duration first, Duration max, int attempts, Sleeper sleeper, RandomGenerator random) {
        this.first = requireNonNull(first, "first is null");
        this.max = requireNonNull(max, "max is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.random = requireNonNull(random, "random is null");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || attempts < 1) {
            throw new IllegalArgumentException("a backoff needs 0 < first <= max and at least one attempt (got first=" + first
                    + " max=" + max + " attempts=" + attempts + ")");
        }
        this.attempts = attempts;
    }

    /** Sleeps with {@link Thread#sleep}, jitter from a thread-safe generator. */
    public static Backoff exponential(Duration first, Duration max, int attempts) {
        return new Backoff(first, max, attempts, THREAD_SLEEP, THREAD_LOCAL_RANDOM);
    }

    /** How many attempts in all, the first included. */
    public int attempts() {
        return attempts;
    }

    /** The longest wait before attempt {@code attempt + 1}: {@code min(max, first * 2^(attempt-1))}. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        int shift = Math.min(attempt - 1, 30);
        long nanos = first.toNanos();
        long grown = nanos > (max.toNanos() >> shift) ? max.toNanos() : nanos << shift;
        return Duration.ofNanos(Math.min(grown, max.toNanos()));
    }

    /** The wait after failed attempt {@code attempt}: random in {@code [ceiling/2, ceiling]}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(half + random.nextLong(ceiling - half + 1));
    }

    /**
     * Waits after failed attempt {@code attempt}. Returns false, with the thread's interrupt flag set,
     * when interrupted: the caller stops retrying.
     */
    public boolean pause(int attempt) {
        try {
            sleeper.sleep(delay(attempt));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** For messages: {@code 20 attempts, waits from 5ms doubling up to 500ms}. */
    public String describe() {
        return attempts + " attempts, waits from " + Durations.format(first) + " doubling up to " + Durations.format(max);
    }
}
