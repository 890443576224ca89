package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.Site;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Cell;
import org.boomerang.portal.view.Views.Table;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;

/**
 * The inventory: sites, and per site its hypervisor managers, hosts, datastores and machines (with
 * their agents), then the process servers and master targets. Shows the last discovered inventory;
 * a site whose provider cannot answer shows its error instead.
 */
final class InventoryPages {
    private final InventoryService inventory;
    private final Templates templates;

    InventoryPages(InventoryService inventory, Templates templates) {
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void show(Context ctx, Session s) {
        List<Table> tables = new ArrayList<>();
        List<Site> sites = inventory.sites();
        tables.add(new Table("Sites", List.of("site", "role", "provider"), sites.stream()
                .map(x -> List.of(Cell.of(x.id().value()), Cell.of(x.role().name().toLowerCase(Locale.ROOT)), Cell.of(x.provider()))).toList(),
                "No sites yet: add them with the API (POST /api/v1/sites)."));
        List<List<Cell>> managers = new ArrayList<>();
        List<List<Cell>> hosts = new ArrayList<>();
        List<List<Cell>> stores = new ArrayList<>();
        List<List<Cell>> machines = new ArrayList<>();
        List<List<Cell>> unreachable = new ArrayList<>();
        for (Site site : sites) {
            Inventory inv;
            try {
                inv = inventory.inventory(site.id());
            } catch (BoomerangException e) {
                unreachable.add(List.of(Cell.of(site.id().value()), Cell.of(e.code().name()), Cell.of(e.getMessage() + " — " + e.hint())));
                continue;
            }
            String sid = site.id().value();
            inv.managers().forEach(m -> managers.add(List.of(Cell.of(sid), Cell.of(m.id().value()), Cell.of(m.address()),
                    Cell.of(m.type().name()), Cell.of(m.connection().name().toLowerCase(Locale.ROOT)), Cell.of(Format.time(m.addedAt())))));
            inv.hosts().forEach(h -> hosts.add(List.of(Cell.of(sid), Cell.of(h.id().value()), Cell.of(h.name()), Cell.of(h.type().name()),
                    Cell.of(h.manager().map(x -> x.value()).orElse("standalone")), Cell.of(h.discovered() ? "yes" : "no"))));
            inv.datastores().forEach(d -> stores.add(List.of(Cell.of(sid), Cell.of(d.id().value()), Cell.of(d.name()), Cell.of(d.type().name()),
                    Cell.of(d.reachableFrom().stream().map(x -> x.value()).sorted().collect(Collectors.joining(", "))))));
            for (Machine m : inv.machines()) {
                String agent = inventory.agent(inv.site(), m.id()).map(a -> "last heartbeat " + Format.time(a.lastHeartbeat())).orElse("not registered");
                machines.add(List.of(Cell.of(sid), Cell.of(m.id().value()), Cell.of(m.name()), Cell.of(m.kind().name()),
                        Cell.of(m.os().family() + " " + m.os().version()), Cell.of(m.power().name().toLowerCase(Locale.ROOT)),
                        Cell.of(m.host().map(x -> x.value()).orElse("—")), Cell.of(agent)));
            }
        }
        if (!unreachable.isEmpty()) {
            tables.add(new Table("Sites that cannot be discovered", List.of("site", "code", "what to do"), unreachable, ""));
        }
        tables.add(new Table("Hypervisor managers", List.of("site", "id", "address", "type", "connection", "added"), managers, "None discovered."));
        tables.add(new Table("Hosts", List.of("site", "id", "name", "type", "manager", "discovered"), hosts, "None discovered."));
        tables.add(new Table("Datastores", List.of("site", "id", "name", "type", "reachable from"), stores, "None discovered."));
        tables.add(new Table("Machines and agents", List.of("site", "id", "name", "kind", "OS", "power", "host", "agent"), machines, "None discovered."));
        tables.add(new Table("Process servers", List.of("id", "site", "address"), inventory.processServers().stream()
                .map(p -> List.of(Cell.of(p.id()), Cell.of(p.site().value()), Cell.of(p.address()))).toList(), "None registered."));
        tables.add(new Table("Master targets", List.of("machine", "site", "host"), inventory.masterTargets().stream()
                .map(m -> List.of(Cell.of(m.machine().value()), Cell.of(m.site().value()), Cell.of(m.host().value()))).toList(), "None registered."));
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Inventory", "inventory", s));
        p.put("tables", tables);
        ctx.html(templates.render("inventory.jte", p));
    }
}
