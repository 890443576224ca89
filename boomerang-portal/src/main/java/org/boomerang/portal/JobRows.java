package org.boomerang.portal;

import java.util.Locale;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobKind;
import org.boomerang.portal.view.Views.JobRow;
import org.boomerang.portal.view.Views.Refusal;

/** Builds the row of one job. Stateless. */
final class JobRows {
    JobRow row(Job j) {
        String target = j.request().target();
        String targetHref = switch (j.kind()) {
            case ITEM_OPERATION -> Paths.item(target);
            case PLAN_OPERATION -> Paths.plan(target);
        };
        String kind = j.kind() == JobKind.ITEM_OPERATION ? "item" : "plan";
        Refusal error = j.error().map(e -> new Refusal(e.code(), e.category().name(), e.message(), e.hint(), null)).orElse(null);
        return new JobRow(j.id().value(), Paths.job(j.id().value()), kind, target, targetHref, j.request().describe(),
                state(j), j.state().isTerminal(), j.progress().percent(), j.progress().step(), Format.time(j.createdAt()),
                Format.time(j.updatedAt()), error);
    }

    static String state(Job j) {
        return j.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
