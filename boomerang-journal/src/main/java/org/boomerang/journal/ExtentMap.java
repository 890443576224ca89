package org.boomerang.journal;

import java.util.Map;
import java.util.TreeMap;
import org.boomerang.journal.segment.RecordRef;

/**
 * Where each byte of a disk comes from at one LSN: non-overlapping pieces that each name the write
 * record holding the bytes, or zeroes (trimmed or zeroed ranges). Bytes not covered by any piece come
 * from the base image. Built by replaying record locators in LSN order, never by reading the disk, so
 * its cost grows with the journal and not with the disk size.
 *
 * <p>Thread-safety: every method synchronises on the map, so the journal's live map can be read while
 * records are applied to it.
 */
final class ExtentMap {
    /** A piece: {@code [start, end)} from {@code source} (a write record), or zeroes when source is null. */
    record Piece(long start, long end, RecordRef source) {}

    /** Receives the parts of a queried range in order; {@code piece} is null for base-image bytes. */
    @FunctionalInterface
    interface PartConsumer {
        void accept(long start, long end, Piece piece) throws java.io.IOException;
    }

    private final TreeMap<Long, Piece> pieces;

    ExtentMap() {
        this.pieces = new TreeMap<>();
    }

    private ExtentMap(TreeMap<Long, Piece> pieces) {
        this.pieces = pieces;
    }

    synchronized ExtentMap copy() {
        return new ExtentMap(new TreeMap<>(pieces));
    }

    synchronized int pieceCount() {
        return pieces.size();
    }

    /** Applies one data record: writes point at it, trims and zeroes make zeroes; markers change nothing. */
    synchronized void apply(RecordRef ref) {
        switch (ref.kind()) {
            case WRITE -> put(ref.offset(), ref.diskEnd(), ref);
            case TRIM, ZERO -> put(ref.offset(), ref.diskEnd(), null);
            case MARKER, WINDOW_OPEN, WINDOW_CLOSE -> {
                // markers and window bounds change no bytes
            }
        }
    }

    private void put(long start, long end, RecordRef source) {
        if (start >= end) {
            return;
        }
        Map.Entry<Long, Piece> before = pieces.lowerEntry(start);
        if (before != null && before.getValue().end() > start) {
            Piece p = before.getValue();
            pieces.put(p.start(), new Piece(p.start(), start, p.source()));
            if (p.end() > end) {
                pieces.put(end, new Piece(end, p.end(), p.source()));
            }
        }
        while (true) {
            Map.Entry<Long, Piece> e = pieces.ceilingEntry(start);
            if (e == null || e.getKey() >= end) {
                break;
            }
            Piece p = e.getValue();
            pieces.remove(e.getKey());
            if (p.end() > end) {
                pieces.put(end, new Piece(end, p.end(), p.source()));
                break;
            }
        }
        pieces.put(start, new Piece(start, end, source));
    }

    /** A part of a queried range: {@code piece} is null for base-image bytes. */
    record Part(long start, long end, Piece piece) {}

    /** The parts covering {@code [start, end)} exactly, in order, as a snapshot. */
    synchronized java.util.List<Part> parts(long start, long end) {
        java.util.List<Part> out = new java.util.ArrayList<>();
        try {
            forEach(start, end, (s, e, p) -> out.add(new Part(s, e, p)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Replaces the whole content with {@code other}'s (after retention moved the base). */
    void replaceWith(ExtentMap other) {
        TreeMap<Long, Piece> copy;
        synchronized (other) {
            copy = new TreeMap<>(other.pieces);
        }
        synchronized (this) {
            pieces.clear();
            pieces.putAll(copy);
        }
    }

    /** Calls {@code consumer} for consecutive parts covering {@code [start, end)} exactly. */
    synchronized void forEach(long start, long end, PartConsumer consumer) throws java.io.IOException {
        long pos = start;
        Map.Entry<Long, Piece> e = pieces.floorEntry(start);
        if (e == null || e.getValue().end() <= start) {
            e = pieces.higherEntry(start);
        }
        while (pos < end) {
            if (e == null || e.getKey() >= end) {
                consumer.accept(pos, end, null);
                return;
            }
            Piece p = e.getValue();
            if (p.start() > pos) {
                consumer.accept(pos, p.start(), null);
                pos = p.start();
            }
            long partEnd = Math.min(p.end(), end);
            consumer.accept(pos, partEnd, p);
            pos = partEnd;
            e = pieces.higherEntry(e.getKey());
        }
    }
}
