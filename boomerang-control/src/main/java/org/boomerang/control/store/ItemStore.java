package org.boomerang.control.store;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ProtectedItem;

/** Protected items, with optimistic concurrency on {@link ProtectedItem#version()}. Thread-safe. */
public interface ItemStore {
    /** Inserts a new item; {@code ITEM_ALREADY_PROTECTED} when the id exists. */
    void create(ProtectedItem item);

    Optional<ProtectedItem> get(ItemId id);

    List<ProtectedItem> list();

    /**
     * Replaces the item if the stored version equals {@code item.version()}; returns it with the
     * version bumped. {@code CONCURRENT_UPDATE} otherwise: someone else changed it first.
     */
    ProtectedItem update(ProtectedItem item);

    void delete(ItemId id);
}
