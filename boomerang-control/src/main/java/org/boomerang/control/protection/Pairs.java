package org.boomerang.control.protection;

/** The ids of an item's two replication pairs: forward (primary → recovery) and reverse (after reprotect). */
public final class Pairs {
    private Pairs() {}

    public static String forward(ItemId item) {
        return item.value() + ":forward";
    }

    public static String reverse(ItemId item) {
        return item.value() + ":reverse";
    }
}
