package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.store.ItemStore;

/** Protected items in {@code protected_items}; the {@code version} column is the optimistic lock. Thread-safe. */
final class JdbcItemStore implements ItemStore {
    private final Statements sql;
    private final DocumentCodec codec;

    JdbcItemStore(Statements sql, DocumentCodec codec) {
        this.sql = requireNonNull(sql, "sql is null");
        this.codec = requireNonNull(codec, "codec is null");
    }

    @Override
    public void create(ProtectedItem item) {
        int n = sql.update("INSERT INTO protected_items (id, state_id, version, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                item.id().value(), item.state().id(), item.version(), codec.write(item));
        if (n == 0) {
            throw new BoomerangException(ControlError.ITEM_ALREADY_PROTECTED, "a protected item " + item.id() + " exists already",
                    "choose another item id, or act on the existing item");
        }
    }

    @Override
    public Optional<ProtectedItem> get(ItemId id) {
        return sql.one("SELECT doc, version FROM protected_items WHERE id = ?", rs -> decode(rs.getString(1), rs.getLong(2)), id.value());
    }

    @Override
    public List<ProtectedItem> list() {
        return sql.query("SELECT doc, version FROM protected_items ORDER BY id", rs -> decode(rs.getString(1), rs.getLong(2)));
    }

    @Override
    public ProtectedItem update(ProtectedItem item) {
        ProtectedItem next = item.toBuilder().version(item.version() + 1).build();
        int n = sql.update("UPDATE protected_items SET state_id = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                next.state().id(), next.version(), codec.write(next), item.id().value(), item.version());
        if (n == 0) {
            throw new BoomerangException(ControlError.CONCURRENT_UPDATE,
                    "protected item " + item.id() + " was changed by someone else (expected version " + item.version() + ")",
                    "re-read the item and retry");
        }
        return next;
    }

    @Override
    public void delete(ItemId id) {
        sql.update("DELETE FROM protected_items WHERE id = ?", id.value());
    }

    private ProtectedItem decode(String doc, long version) {
        return codec.read(doc, ProtectedItem.class).toBuilder().version(version).build();
    }
}
