package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.job.Job;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ProtectRequest;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Option;
import org.boomerang.portal.view.Views.Refusal;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * Protecting a machine: the first step of the seed's cycle. The form offers the primary site's
 * discovered machines that are not protected yet, the replication policies, groups and process
 * servers; the post calls {@link ProtectionService#protect} like {@code POST /api/v1/items}.
 */
final class ProtectPages {
    private final ProtectionService protection;
    private final InventoryService inventory;
    private final Templates templates;

    ProtectPages(ProtectionService protection, InventoryService inventory, Templates templates) {
        this.protection = requireNonNull(protection, "protection is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void form(Context ctx, Session s) {
        render(ctx, s, null, HttpStatus.OK);
    }

    void submit(Context ctx, Session s) {
        Job job;
        try {
            SiteId primary = site(SiteRole.PRIMARY);
            SiteId recovery = site(SiteRole.RECOVERY);
            String machine = field(ctx, "machine").orElseThrow(() -> new BoomerangException(PortalError.PORTAL_INVALID_FORM,
                    "no machine chosen", "choose a machine of the primary site"));
            String policy = field(ctx, "policy").orElseThrow(() -> new BoomerangException(PortalError.PORTAL_INVALID_FORM,
                    "no replication policy chosen", "choose a policy (an admin creates them with 'boomerang policies put')"));
            job = protection.protect(new ProtectRequest(new ItemId(field(ctx, "name").orElse(machine)), new MachineId(machine), primary, recovery,
                    new PolicyId(policy), field(ctx, "group").map(GroupId::new), field(ctx, "processServer")));
        } catch (BoomerangException e) {
            render(ctx, s, Refusals.of(e), HttpStatus.forStatus(e.type().httpStatus()));
            return;
        }
        ctx.redirect(Paths.job(job.id().value()), HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, Session s, Refusal refusal, HttpStatus status) {
        List<Option> machines = new ArrayList<>();
        Refusal discovery = null;
        try {
            Inventory inv = inventory.inventory(site(SiteRole.PRIMARY));
            Set<String> taken = protection.items().stream().map(i -> i.machine().value()).collect(Collectors.toSet());
            for (Machine m : inv.machines()) {
                if (!taken.contains(m.id().value())) {
                    machines.add(new Option(m.id().value(), m.name() + " — " + m.kind().name().toLowerCase(java.util.Locale.ROOT) + ", "
                            + m.os().family() + " " + m.os().version(), machines.isEmpty()));
                }
            }
        } catch (BoomerangException e) {
            discovery = Refusals.of(e);
        }
        List<Option> policies = inventory.policies().stream().map(p -> new Option(p.id().value(), p.name() + " (RPO threshold "
                + Format.duration(p.rpoThreshold()) + ", retention " + Format.duration(p.retention()) + ")", false)).toList();
        List<Option> groups = new ArrayList<>();
        groups.add(new Option("", "none", true));
        inventory.groups().forEach(g -> groups.add(new Option(g.id().value(), g.name(), false)));
        List<Option> servers = new ArrayList<>();
        servers.add(new Option("", "automatic", true));
        inventory.processServers().forEach(ps -> servers.add(new Option(ps.id(), ps.id() + " (" + ps.site() + ")", false)));
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Protect a machine", "items", s));
        p.put("machines", machines);
        p.put("discovery", discovery);
        p.put("policies", policies);
        p.put("groups", groups);
        p.put("servers", servers);
        p.put("refusal", refusal);
        ctx.status(status).html(templates.render("protect.jte", p));
    }

    /** The one site with this role; the API asks for the site by name otherwise, the portal says what to set up. */
    private SiteId site(SiteRole role) {
        List<Site> sites = inventory.sites().stream().filter(x -> x.role() == role).toList();
        if (sites.size() != 1) {
            String name = role.name().toLowerCase(java.util.Locale.ROOT);
            throw new BoomerangException(PortalError.PORTAL_INVALID_FORM,
                    "the control server has " + sites.size() + " " + name + " sites; the portal protects machines when there is exactly one",
                    sites.isEmpty() ? "add the " + name + " site (POST /api/v1/sites) or start 'boomerang demo'"
                            : "protect the machine with the API or CLI, naming the sites ('boomerang items enable --primary-site …')");
        }
        return sites.getFirst().id();
    }

    private static Optional<String> field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
