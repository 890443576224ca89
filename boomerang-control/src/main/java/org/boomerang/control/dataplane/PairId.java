package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.boomerang.control.protection.ItemId;

/**
 * The identity of one replication pair: an item's replication in one {@link Direction}. Its text form
 * {@code <item>:forward} / {@code <item>:reverse} is what the control database stores, the API shows and
 * the data plane names its pair by; {@link #text()} writes it and {@link #parse(String)} is the one place
 * that reads it.
 */
public record PairId(ItemId item, Direction direction) {
    /** Which way a pair replicates: primary → recovery ({@link #FORWARD}) or back after reprotect ({@link #REVERSE}). */
    public enum Direction {
        FORWARD,
        REVERSE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PairId {
        requireNonNull(item, "item is null");
        requireNonNull(direction, "direction is null");
    }

    /** The item's forward pair (primary → recovery). */
    public static PairId forward(ItemId item) {
        return new PairId(item, Direction.FORWARD);
    }

    /** The item's reverse pair (recovery → primary, after reprotect). */
    public static PairId reverse(ItemId item) {
        return new PairId(item, Direction.REVERSE);
    }

    /**
     * Reads the text form {@code <item>:<direction>}; the direction is after the last colon, so an item
     * id may itself contain colons.
     *
     * @throws IllegalArgumentException when the text has no known direction
     */
    public static PairId parse(String text) {
        requireNonNull(text, "text is null");
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a pair id (<item>:forward or <item>:reverse): " + text);
        }
        String direction = text.substring(colon + 1);
        for (Direction d : Direction.values()) {
            if (d.label().equals(direction)) {
                return new PairId(new ItemId(text.substring(0, colon)), d);
            }
        }
        throw new IllegalArgumentException("not a pair id (<item>:forward or <item>:reverse): " + text);
    }

    /** The text form, {@code <item>:forward} or {@code <item>:reverse}. */
    public String text() {
        return item.value() + ":" + direction.label();
    }

    @Override
    public String toString() {
        return text();
    }
}
