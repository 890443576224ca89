package org.boomerang.nbd.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;

/**
 * The exports of one server by name, in the order they were added. The empty name, which clients such as
 * qemu send when the URI names no export, means the first export. Exports are added and removed while the
 * server runs; a handshake sees the table as it is when it looks a name up.
 *
 * <p>Thread-safety: safe. Lookups read an immutable snapshot (a handshake costs no lock); changes copy it
 * under this object's monitor, which is rare.
 */
final class ExportTable {
    private volatile Map<String, ServedExport> byName = Map.of();

    ExportTable(List<NbdExport> exports) {
        for (NbdExport e : exports) {
            add(e);
        }
    }

    /** Adds an export; refused when the name is taken. */
    synchronized ServedExport add(NbdExport export) {
        if (byName.containsKey(export.name())) {
            throw new NbdProtocolException(NbdError.BAD_EXPORT_CONFIG, "two exports are named '" + export.name() + "'",
                    "give every export its own name, or remove the old one first");
        }
        Map<String, ServedExport> copy = new LinkedHashMap<>(byName);
        ServedExport served = new ServedExport(export);
        copy.put(export.name(), served);
        byName = copy;
        return served;
    }

    /** Takes an export out of the table, so no new client finds it; empty when there is none of that name. */
    synchronized Optional<ServedExport> remove(String name) {
        if (!byName.containsKey(name)) {
            return Optional.empty();
        }
        Map<String, ServedExport> copy = new LinkedHashMap<>(byName);
        ServedExport removed = copy.remove(name);
        byName = copy;
        return Optional.of(removed);
    }

    Optional<ServedExport> find(String name) {
        Map<String, ServedExport> map = byName;
        if (name.isEmpty() && !map.containsKey("") && !map.isEmpty()) {
            return Optional.of(map.values().iterator().next());
        }
        return Optional.ofNullable(map.get(name));
    }

    Collection<ServedExport> all() {
        return new ArrayList<>(byName.values());
    }
}
