package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.Durations;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.failback.SelectedPoint;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.job.JobService;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemStatus;
import org.boomerang.control.protection.Lifecycle;
import org.boomerang.control.protection.Operation;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Action;
import org.boomerang.portal.view.Views.Fact;
import org.boomerang.portal.view.Views.ItemPage;
import org.boomerang.portal.view.Views.JobRow;
import org.boomerang.portal.view.Views.Option;
import org.boomerang.portal.view.Views.PointRow;
import org.boomerang.portal.view.Views.Preview;
import org.boomerang.portal.view.Views.Refusal;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.Inventory;

/**
 * The item page: the item's facts, the seed's actions each enabled or disabled with the refusal the
 * service would give (lifecycle, a running operation, the failback rules), the failover and
 * reprotect forms, and the recovery points with RPO over time. Every rule comes from the control
 * server's services; nothing is decided here. Thread-safe.
 */
final class ItemPageBuilder {
    private static final int POINTS_SHOWN = 100;
    private static final int JOBS_SHOWN = 10;

    private final ProtectionService protection;
    private final InventoryService inventory;
    private final JobService jobs;
    private final ItemRows rows;
    private final JobRows jobRows;
    private final Templates templates;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    ItemPageBuilder(ProtectionService protection, InventoryService inventory, JobService jobs, ItemRows rows, JobRows jobRows,
            Templates templates, Clock clock) {
        this.protection = requireNonNull(protection, "protection is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.jobRows = requireNonNull(jobRows, "jobRows is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void render(Context ctx, Session s, ItemId id, Refusal refusal, HttpStatus status) {
        ProtectedItem item = protection.item(id);
        List<PointRow> points = List.of();
        Refusal pointsRefusal = null;
        List<Option> pointOptions = new ArrayList<>();
        pointOptions.add(new Option("latest-processed", "Latest processed (lowest RPO)", true));
        pointOptions.add(new Option("latest-app-consistent", "Latest app-consistent", false));
        try {
            List<MachinePoint> all = protection.points(id);
            List<MachinePoint> newest = all.stream().sorted(Comparator.comparing(MachinePoint::lsn).reversed()).limit(POINTS_SHOWN).toList();
            points = newest.stream().map(p -> new PointRow(p.id().value(), p.lsn().value(), Format.time(p.time()),
                    p.consistency().name().toLowerCase(java.util.Locale.ROOT), p.groupTag().orElse(""))).toList();
            for (MachinePoint p : newest) {
                pointOptions.add(new Option(p.id().value(), p.id() + " — " + Format.time(p.time()) + " (" + p.consistency().name().toLowerCase(java.util.Locale.ROOT) + ")", false));
            }
        } catch (BoomerangException e) {
            pointsRefusal = Refusals.of(e);
        }
        boolean operator = s.may(Role.OPERATOR);
        List<Action> actions = new ArrayList<>();
        if (operator) {
            for (Operation op : ItemActions.ORDER) {
                actions.add(action(item, op));
            }
        }
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Item " + item.id(), "items", s));
        p.put("model", new ItemPage(rows.row(item), facts(item), item.lastError().map(e -> new Refusal(e.code(), "", e.message(), e.hint(), null)).orElse(null),
                refusal, actions, points, pointsRefusal, pointOptions, operator ? preview(id, "latest-processed") : null,
                processServers(), masterTargets(), datastores(), policyRetention(item), itemJobs(id)));
        ctx.status(status).html(templates.render("item.jte", p));
    }

    /** What choosing {@code pointText} for a failover means now: the point, the latest, the data loss (FB-15). */
    Preview preview(ItemId id, String pointText) {
        try {
            SelectedPoint sp = protection.previewPoint(id, PointRequest.parse(pointText));
            return new Preview(sp.point().id() + " at " + Format.time(sp.point().time()) + " (" + sp.point().consistency().name().toLowerCase(java.util.Locale.ROOT) + ")",
                    sp.latest().id() + " at " + Format.time(sp.latest().time()),
                    sp.dataLoss().isZero() ? "none: this is the latest point" : Format.duration(sp.dataLoss()) + " of writes after this point are lost",
                    !sp.dataLoss().isZero(), null);
        } catch (BoomerangException e) {
            return new Preview(null, null, null, false, Refusals.of(e));
        }
    }

    /** {@code {"t":[…],"rpo":[…],"threshold":s}}: RPO over time for the chart, in seconds. */
    String rpoJson(ItemId id) {
        ProtectedItem item = protection.item(id);
        ItemStatus status = protection.status(id);
        List<MachinePoint> points;
        try {
            points = protection.points(id);
        } catch (BoomerangException e) {
            points = List.of();
        }
        RpoHistory h = RpoHistory.of(points, clock.now(), status.rpo().isPresent());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("t", h.times());
        body.put("rpo", h.rpo());
        body.put("threshold", inventory.policy(item.policy()).rpoThreshold().toSeconds());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers always serialise", e);
        }
    }

    private Action action(ProtectedItem item, Operation op) {
        String label = ItemActions.label(op, item.state());
        Optional<Refusal> why = Optional.empty();
        String note = null;
        if (item.active().isPresent()) {
            why = Optional.of(new Refusal(ControlError.ITEM_BUSY.name(), ControlError.ITEM_BUSY.type().name(),
                    "item " + item.id() + " is busy: " + item.active().get().operation().label() + " (job " + item.active().get().job() + ") is running",
                    "wait for that job to finish (or cancel it), then retry", null));
        } else if (op.isFailover()) {
            try {
                protection.checkFailover(item.id(), op == Operation.PLANNED_FAILOVER);
            } catch (BoomerangException e) {
                why = Optional.of(Refusals.of(e));
            }
        } else if (Lifecycle.find(item.state(), op).isEmpty()) {
            why = Optional.of(Refusals.of(Lifecycle.illegal(item.id(), item.state(), op)));
        } else if (op == Operation.REPROTECT) {
            // Enabled: the form's choices may satisfy a rule the defaults do not; say what the defaults would do.
            try {
                ReprotectPlan plan = protection.checkReprotect(ReprotectRequest.defaults(item.id()));
                note = "With the defaults: " + plan.location().name().toLowerCase(java.util.Locale.ROOT) + " location recovery, "
                        + plan.syncMode().name().toLowerCase(java.util.Locale.ROOT) + " sync through process server " + plan.processServer()
                        + plan.masterTarget().map(m -> ", master target " + m).orElse("")
                        + plan.datastore().map(d -> ", datastore " + d).orElse("") + ".";
            } catch (BoomerangException e) {
                Refusal r = Refusals.of(e);
                note = "With the defaults it would be refused — " + (r.rule() != null ? r.rule() + " — " : "") + r.message() + "; " + r.hint();
            }
        }
        return new Action(ItemActions.verb(op), label, ItemActions.form(op), why.isEmpty(), why.orElse(null), note);
    }

    private List<Fact> facts(ProtectedItem item) {
        List<Fact> f = new ArrayList<>();
        f.add(new Fact("Machine", item.machine().value()));
        f.add(new Fact("Kind", ItemRows.kind(item)));
        f.add(new Fact("Guest OS", item.os().family() + " " + item.os().version()));
        f.add(new Fact("Primary site", item.primarySite().value()));
        f.add(new Fact("Recovery site", item.recoverySite().value()));
        f.add(new Fact("Policy", item.policy().value()));
        item.group().ifPresent(g -> f.add(new Fact("Replication group", g.value())));
        item.processServer().ifPresent(ps -> f.add(new Fact("Process server", ps)));
        item.recoveryMachine().ifPresent(m -> f.add(new Fact("Recovery-site machine", m.value())));
        item.testMachine().ifPresent(m -> f.add(new Fact("Test machine", m.value())));
        item.point().ifPresent(pt -> f.add(new Fact("Recovered at point", pt.value())));
        item.fencedSite().ifPresent(site -> f.add(new Fact("Fenced site", site.value())));
        item.autoResolution().ifPresent(a -> f.add(new Fact("Automatic resolution", a.action().name().toLowerCase(java.util.Locale.ROOT)
                + a.deadline().map(d -> " at " + Format.time(d)).orElse(" after completion"))));
        f.add(new Fact("Protected since", Format.time(item.protectedAt())));
        f.add(new Fact("Retention", retention(item)));
        return f;
    }

    /** The retention the item's replica keeps: the one chosen at its last reprotect, else its policy's. */
    private String retention(ProtectedItem item) {
        if (item.retention().isPresent()) {
            return Format.duration(item.retention().get()) + " (chosen at reprotect)";
        }
        try {
            return Format.duration(inventory.policy(item.policy()).retention()) + " (policy " + item.policy() + ")";
        } catch (BoomerangException e) {
            return "unknown (" + e.code().name() + ")";
        }
    }

    /** The policy's retention as the reprotect dialog offers it by default ({@code 3d}); empty when the policy is gone. */
    private String policyRetention(ProtectedItem item) {
        try {
            return Durations.format(inventory.policy(item.policy()).retention());
        } catch (BoomerangException e) {
            return "";
        }
    }

    private List<Option> processServers() {
        List<Option> o = new ArrayList<>();
        o.add(new Option("", "the item's (default)", true));
        inventory.processServers().forEach(ps -> o.add(new Option(ps.id(), ps.id() + " (" + ps.site() + ", " + ps.address() + ")", false)));
        return o;
    }

    private List<Option> masterTargets() {
        List<Option> o = new ArrayList<>();
        o.add(new Option("", "the first at the target site (default)", true));
        inventory.masterTargets().forEach(mt -> o.add(new Option(mt.machine().value(), mt.machine() + " (" + mt.site() + ", host " + mt.host() + ")", false)));
        return o;
    }

    private List<Option> datastores() {
        List<Option> o = new ArrayList<>();
        o.add(new Option("", "the machine's own (original location)", true));
        for (Site site : inventory.sites()) {
            try {
                Inventory inv = inventory.inventory(site.id());
                for (Datastore d : inv.datastores()) {
                    o.add(new Option(d.id().value(), d.name() + " — " + d.type().name() + " at " + site.id(), false));
                }
            } catch (BoomerangException e) {
                // A site whose provider cannot answer offers no datastores; the inventory page shows why.
            }
        }
        return o;
    }

    private List<JobRow> itemJobs(ItemId id) {
        return jobs.list().stream().filter(j -> j.request().target().equals(id.value()))
                .sorted(Comparator.comparing((org.boomerang.control.job.Job j) -> j.createdAt()).reversed())
                .limit(JOBS_SHOWN).map(jobRows::row).toList();
    }
}
