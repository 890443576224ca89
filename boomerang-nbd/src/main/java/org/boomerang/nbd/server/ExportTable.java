package org.boomerang.nbd.server;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;

/**
 * The exports of one server by name, in the order they were added. The empty name, which clients such as
 * qemu send when the URI names no export, means the first export.
 *
 * <p>Thread-safety: immutable.
 */
final class ExportTable {
    private final Map<String, NbdExport> byName;

    ExportTable(List<NbdExport> exports) {
        if (exports.isEmpty()) {
            throw new NbdProtocolException(NbdError.BAD_EXPORT_CONFIG, "an NBD server needs at least one export",
                    "add one with export(name, device, description) or --export NAME=FILE");
        }
        Map<String, NbdExport> map = new LinkedHashMap<>();
        for (NbdExport e : exports) {
            if (map.putIfAbsent(e.name(), e) != null) {
                throw new NbdProtocolException(NbdError.BAD_EXPORT_CONFIG, "two exports are named '" + e.name() + "'",
                        "give every export its own name");
            }
        }
        this.byName = map;
    }

    Optional<NbdExport> find(String name) {
        if (name.isEmpty() && !byName.containsKey("")) {
            return Optional.of(byName.values().iterator().next());
        }
        return Optional.ofNullable(byName.get(name));
    }

    Collection<NbdExport> all() {
        return byName.values();
    }
}
