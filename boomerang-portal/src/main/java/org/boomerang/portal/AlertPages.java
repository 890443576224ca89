package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobService;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemStatus;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Alert;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.HypervisorManager;

/**
 * Alerts, worked out when the page is read from what the services report: items whose health is
 * not OK, whose RPO exceeds their policy's threshold or whose last operation failed; failed jobs
 * that were not restarted; hypervisor managers that are not connected (FB-22).
 */
final class AlertPages {
    private final ProtectionService protection;
    private final InventoryService inventory;
    private final JobService jobs;
    private final Templates templates;

    AlertPages(ProtectionService protection, InventoryService inventory, JobService jobs, Templates templates) {
        this.protection = requireNonNull(protection, "protection is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    List<Alert> alerts() {
        List<Alert> out = new ArrayList<>();
        for (ProtectedItem item : protection.items()) {
            String href = Paths.item(item.id().value());
            String subject = "item " + item.id();
            if (item.health() != Health.OK) {
                out.add(new Alert(item.health() == Health.CRITICAL ? "critical" : "warning", subject, href,
                        "replication health is " + ItemRows.health(item.health()), "failback needs health OK (FB-12); check the data plane of this item"));
            }
            try {
                ItemStatus st = protection.status(item.id());
                if (st.rpo().isPresent() && st.rpoExceeded()) {
                    out.add(new Alert("warning", subject, href, "RPO " + Format.duration(st.rpo().get()) + " exceeds the policy's threshold",
                            "check the item's replication (process server, network, churn)"));
                }
            } catch (BoomerangException e) {
                out.add(new Alert("warning", subject, href, "RPO unknown: " + e.getMessage(), e.hint()));
            }
            item.lastError().ifPresent(e -> out.add(new Alert("warning", subject, href, "last operation failed: " + e.code() + ": " + e.message(), e.hint())));
        }
        List<Job> all = jobs.list();
        for (Job j : all) {
            boolean restarted = all.stream().anyMatch(o -> o.restartOf().map(j.id()::equals).orElse(false));
            if (j.state() == JobState.FAILED && !restarted && j.parent().isEmpty()) {
                out.add(new Alert("warning", "job " + j.id(), Paths.job(j.id().value()), j.request().describe() + " failed"
                        + j.error().map(e -> ": " + e.code() + ": " + e.message()).orElse(""), "open the job to read its log; restart it when the cause is fixed"));
            }
        }
        for (Site site : inventory.sites()) {
            try {
                for (HypervisorManager m : inventory.inventory(site.id()).managers()) {
                    if (m.connection() != ConnectionState.CONNECTED) {
                        out.add(new Alert("critical", "manager " + m.id(), "/inventory", "hypervisor manager " + m.id() + " at site " + site.id() + " is "
                                + m.connection().name().toLowerCase(java.util.Locale.ROOT), "reconnect it: failback needs a connected manager (FB-22)"));
                    }
                }
            } catch (BoomerangException e) {
                out.add(new Alert("critical", "site " + site.id(), "/inventory", "site cannot be discovered: " + e.getMessage(), e.hint()));
            }
        }
        return out;
    }

    void show(Context ctx, Session s) {
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Alerts", "alerts", s));
        p.put("alerts", alerts());
        ctx.html(templates.render("alerts.jte", p));
    }
}
