package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobService;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.ItemJobRequest;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.JobLive;
import org.boomerang.portal.view.Views.JobPage;
import org.boomerang.portal.view.Views.JobRow;
import org.boomerang.portal.view.Views.JobsPage;
import org.boomerang.portal.view.Views.LogRow;
import org.boomerang.portal.view.Views.Option;
import org.boomerang.portal.view.Views.StepRow;

/**
 * The jobs list and a job's page. The live part of a job page (state, progress, steps, log, child
 * jobs) is fetched again every second by htmx and swapped in place, without a page reload, until the
 * job has ended. Cancel, resume and restart call {@link JobService} like the API does.
 */
final class JobPages {
    private static final int LOG_SHOWN = 200;

    private final JobService jobs;
    private final JobRows rows;
    private final Templates templates;

    JobPages(JobService jobs, JobRows rows, Templates templates) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void list(Context ctx, Session s) {
        String state = Optional.ofNullable(ctx.queryParam("state")).orElse("");
        List<Job> all = jobs.list().stream()
                .filter(j -> state.isEmpty() || j.state().name().equalsIgnoreCase(state))
                .sorted(Comparator.comparing(Job::createdAt).reversed().thenComparing(j -> j.id().value()))
                .toList();
        int size = ItemPages.PAGE_SIZE;
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int page = Math.min(pages, Math.max(1, ItemPages.intParam(ctx.queryParam("page"))));
        List<JobRow> shown = all.subList((page - 1) * size, Math.min(all.size(), page * size)).stream().map(rows::row).toList();
        List<Option> states = new ArrayList<>();
        states.add(new Option("", "any state", state.isEmpty()));
        for (JobState st : JobState.values()) {
            states.add(new Option(st.name(), st.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), st.name().equalsIgnoreCase(state)));
        }
        String base = "/jobs?state=" + Paths.query(state) + "&page=";
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Jobs", "jobs", s));
        p.put("model", new JobsPage(shown, states, page, pages, all.size(), page > 1 ? base + (page - 1) : null,
                page < pages ? base + (page + 1) : null));
        ctx.html(templates.render("jobs.jte", p));
    }

    void show(Context ctx, Session s) {
        Job job = jobs.get(new JobId(ctx.pathParam("id")));
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Job " + job.id(), "jobs", s));
        p.put("model", new JobPage(rows.row(job), job.parent().map(id -> Paths.job(id.value())).orElse(null), live(job, s)));
        ctx.html(templates.render("job.jte", p));
    }

    /** The live fragment; once the job has ended it no longer asks to be fetched again. */
    void live(Context ctx, Session s) {
        Job job = jobs.get(new JobId(ctx.pathParam("id")));
        Map<String, Object> p = new HashMap<>();
        p.put("live", live(job, s));
        p.put("csrf", s.csrf());
        ctx.html(templates.render("jobLive.jte", p));
    }

    void act(Context ctx, Session s) {
        JobId id = new JobId(ctx.pathParam("id"));
        try {
            switch (ctx.pathParam("verb")) {
                case "cancel" -> jobs.cancel(id);
                case "resume" -> jobs.resume(id);
                case "restart" -> {
                    Job again = jobs.restart(id);
                    ctx.redirect(Paths.job(again.id().value()), HttpStatus.SEE_OTHER);
                    return;
                }
                default -> throw new BoomerangException(PortalError.PORTAL_PAGE_NOT_FOUND, "no job action '" + ctx.pathParam("verb") + "'",
                        "use the buttons of the job page");
            }
        } catch (BoomerangException e) {
            if (e.code() instanceof PortalError) {
                throw e;
            }
            Job job = jobs.get(id);
            Map<String, Object> p = new HashMap<>();
            p.put("frame", Gate.frame("Job " + job.id(), "jobs", s));
            p.put("model", new JobPage(rows.row(job), job.parent().map(x -> Paths.job(x.value())).orElse(null), live(job, s)));
            p.put("refusal", Refusals.of(e));
            ctx.status(e.type().httpStatus()).html(templates.render("job.jte", p));
            return;
        }
        ctx.redirect(Paths.job(id.value()), HttpStatus.SEE_OTHER);
    }

    /** Item operations say whether they can be cancelled; a plan job can be until it ends. */
    private static boolean cancellable(Job job) {
        return !(job.request() instanceof ItemJobRequest r) || r.operation().cancellable();
    }

    private JobLive live(Job job, Session s) {
        List<StepRow> steps = jobs.steps(job.id()).stream()
                .map(st -> new StepRow(st.index(), st.name(), st.state().name().toLowerCase(java.util.Locale.ROOT), st.detail(), Format.time(st.updatedAt())))
                .toList();
        List<LogRow> log = jobs.log(job.id()).stream().map(l -> new LogRow(Format.time(l.at()), l.message())).toList();
        if (log.size() > LOG_SHOWN) {
            log = log.subList(log.size() - LOG_SHOWN, log.size());
        }
        List<JobRow> children = jobs.list().stream().filter(j -> j.parent().map(job.id()::equals).orElse(false))
                .sorted(Comparator.comparing(Job::createdAt)).map(rows::row).toList();
        boolean operator = s.may(Role.OPERATOR);
        String bytes = job.progress().bytesTotal() > 0
                ? Format.bytes(job.progress().bytesDone()) + " of " + Format.bytes(job.progress().bytesTotal())
                : "";
        return new JobLive(rows.row(job), bytes, steps, log, children,
                operator && !job.state().isTerminal() && !job.cancelRequested() && cancellable(job),
                operator && job.state() == JobState.WAITING_FOR_OPERATOR,
                operator && (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED),
                job.cancelRequested());
    }
}
