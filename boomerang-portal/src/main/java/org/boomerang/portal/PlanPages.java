package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobService;
import org.boomerang.control.plan.PlanAction;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.PlanOperation;
import org.boomerang.control.plan.PlanService;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Cell;
import org.boomerang.portal.view.Views.Option;
import org.boomerang.portal.view.Views.PlanGroupView;
import org.boomerang.portal.view.Views.PlanPage;
import org.boomerang.portal.view.Views.PlanRow;

/** Recovery plans: the list, a plan's groups with their script and manual steps, and running a plan operation. */
final class PlanPages {
    private static final int JOBS_SHOWN = 10;

    private final PlanService plans;
    private final JobService jobs;
    private final JobRows jobRows;
    private final Templates templates;

    PlanPages(PlanService plans, JobService jobs, JobRows jobRows, Templates templates) {
        this.plans = requireNonNull(plans, "plans is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.jobRows = requireNonNull(jobRows, "jobRows is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void list(Context ctx, Session s) {
        List<PlanRow> rows = plans.list().stream().sorted(Comparator.comparing(p -> p.id().value()))
                .map(p -> new PlanRow(p.id().value(), Paths.plan(p.id().value()), p.name(), p.groups().size(), p.items().size())).toList();
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Recovery plans", "plans", s));
        p.put("rows", rows);
        ctx.html(templates.render("plans.jte", p));
    }

    void show(Context ctx, Session s) {
        render(ctx, s, plans.get(new PlanId(ctx.pathParam("id"))), null, HttpStatus.OK);
    }

    void run(Context ctx, Session s) {
        RecoveryPlan plan = plans.get(new PlanId(ctx.pathParam("id")));
        String opText = Optional.ofNullable(ctx.formParam("operation")).orElse("");
        PlanOperation op = null;
        for (PlanOperation o : PlanOperation.values()) {
            if (label(o).equals(opText)) {
                op = o;
            }
        }
        if (op == null) {
            throw new BoomerangException(PortalError.PORTAL_INVALID_FORM, "unknown plan operation '" + opText + "'", "choose one from the list");
        }
        String point = ctx.formParam("point");
        Job job;
        try {
            job = plans.run(plan.id(), op, point == null || point.isBlank() ? Optional.empty() : Optional.of(PointRequest.parse(point)));
        } catch (BoomerangException e) {
            render(ctx, s, plan, Refusals.of(e), HttpStatus.forStatus(e.type().httpStatus()));
            return;
        }
        ctx.redirect(Paths.job(job.id().value()), HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, Session s, RecoveryPlan plan, org.boomerang.portal.view.Views.Refusal refusal, HttpStatus status) {
        List<PlanGroupView> groups = plan.groups().stream().map(g -> new PlanGroupView(g.name(),
                g.items().stream().map(i -> new Cell(i.value(), Paths.item(i.value()))).toList(),
                g.pre().stream().map(PlanAction::describe).toList(), g.post().stream().map(PlanAction::describe).toList())).toList();
        List<Option> ops = new ArrayList<>();
        for (PlanOperation o : PlanOperation.values()) {
            ops.add(new Option(label(o), label(o), o == PlanOperation.TEST_FAILOVER));
        }
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Plan " + plan.name(), "plans", s));
        p.put("model", new PlanPage(plan.id().value(), Paths.plan(plan.id().value()), plan.name(), groups, s.may(Role.OPERATOR) ? ops : List.of(),
                jobs.list().stream().filter(j -> j.request().target().equals(plan.id().value()) && j.parent().isEmpty())
                        .sorted(Comparator.comparing(Job::createdAt).reversed()).limit(JOBS_SHOWN).map(jobRows::row).toList()));
        p.put("refusal", refusal);
        ctx.status(status).html(templates.render("plan.jte", p));
    }

    private static String label(PlanOperation o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
