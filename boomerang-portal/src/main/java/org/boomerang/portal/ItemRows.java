package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobService;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemStatus;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.portal.view.Views.ItemRow;

/**
 * Builds the row of one protected item as the items page and the item page show it: state and
 * health from the item, RPO from {@link ProtectionService#status}, the newest point of each kind
 * from its recovery points, and its running job with progress. When the data plane cannot answer,
 * the row says so instead of failing the page. Thread-safe.
 */
final class ItemRows {
    private final ProtectionService protection;
    private final JobService jobs;

    ItemRows(ProtectionService protection, JobService jobs) {
        this.protection = requireNonNull(protection, "protection is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    ItemRow row(ProtectedItem listed) {
        ProtectedItem item = listed;
        String rpo;
        boolean exceeded = false;
        String crash = "—";
        String app = "—";
        try {
            ItemStatus status = protection.status(item.id());
            item = status.item();
            rpo = status.rpo().map(Format::duration).orElse("—");
            exceeded = status.rpo().isPresent() && status.rpoExceeded();
            List<MachinePoint> points = protection.points(item.id());
            crash = newest(points, MarkerKind.CRASH);
            app = newest(points, MarkerKind.APP);
        } catch (BoomerangException e) {
            rpo = "unknown (" + e.code().name() + ")";
        }
        String jobHref = null;
        String jobLabel = null;
        int percent = 0;
        if (item.active().isPresent()) {
            jobHref = Paths.job(item.active().get().job().value());
            jobLabel = item.active().get().operation().label();
            try {
                Job job = jobs.get(item.active().get().job());
                percent = job.progress().percent();
                jobLabel += " — " + job.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            } catch (BoomerangException e) {
                jobLabel += " (job not found)";
            }
        }
        return new ItemRow(item.id().value(), Paths.item(item.id().value()), item.machine().value(), kind(item),
                item.os().family() + " " + item.os().version(), item.primarySite() + " → " + item.recoverySite(),
                item.state().label(), health(item.health()), item.health() == Health.OK, rpo, exceeded, crash, app,
                jobHref, jobLabel, percent);
    }

    private static String newest(List<MachinePoint> points, MarkerKind c) {
        Optional<MachinePoint> p = points.stream().filter(x -> x.consistency() == c).max(Comparator.comparing(MachinePoint::lsn));
        return p.map(x -> Format.time(x.time())).orElse("—");
    }

    static String kind(ProtectedItem item) {
        return switch (item.kind()) {
            case VM -> "VM";
            case PHYSICAL -> "physical";
        };
    }

    static String health(Health h) {
        return switch (h) {
            case OK -> "OK";
            case WARNING -> "warning";
            case CRITICAL -> "critical";
        };
    }
}
