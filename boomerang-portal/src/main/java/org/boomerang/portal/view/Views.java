package org.boomerang.portal.view;

import java.util.List;

/**
 * What the templates show: plain records of display text, built by the page classes from the
 * control server's records. Templates never call a service; every value here is already formatted,
 * and every value is escaped by the template engine when written (jte, HTML content type).
 */
public final class Views {
    private Views() {}

    /** The signed-in caller as pages see it. */
    public record Viewer(String tokenId, String label, String role, String csrf, boolean canOperate) {}

    /** The frame of every page: title, the active tab, the caller (null on the sign-in page), the number of alerts. */
    public record Frame(String title, String nav, Viewer viewer, int alerts) {
        public boolean signedIn() {
            return viewer != null;
        }
    }

    /**
     * Why something is refused or disabled: the stable code and category, the message and hint the
     * API returns for the same request, and the failback rule in plain words when one applies.
     */
    public record Refusal(String code, String category, String message, String hint, String rule) {}

    /** A choice of a select element. */
    public record Option(String value, String label, boolean selected) {}

    /** A column header that sorts the items table. */
    public record Column(String label, String href, boolean active) {}

    /** A generic table (inventory, alerts). */
    public record Table(String title, List<String> headers, List<List<Cell>> rows, String empty) {}

    /** A table cell: text and an optional link. */
    public record Cell(String text, String href) {
        public static Cell of(String text) {
            return new Cell(text, null);
        }
    }

    /** One row of the replicated-items page. */
    public record ItemRow(String id, String href, String machine, String kind, String os, String sites, String state,
            String health, boolean healthOk, String rpo, boolean rpoExceeded, String latestCrash, String latestApp,
            String jobHref, String jobLabel, int jobPercent) {
        public boolean hasJob() {
            return jobHref != null;
        }
    }

    /** The replicated-items page: one page of rows, the filter and sort, paging links. */
    public record ItemsPage(List<ItemRow> rows, String q, List<Option> states, List<Column> columns, int page, int pages,
            int total, String prevHref, String nextHref) {}

    /** One of the seed's actions on the item page, enabled or disabled with its reason. */
    public record Action(String verb, String label, String form, boolean enabled, Refusal why, String note) {
        public boolean withPoint() {
            return "point".equals(form);
        }

        public boolean isReprotect() {
            return "reprotect".equals(form);
        }
    }

    /** A recovery point row. */
    public record PointRow(String id, long lsn, String time, String consistency, String groupTag) {}

    /** What a recovery-point choice means: the point, the latest, and the data loss. */
    public record Preview(String point, String latest, String dataLoss, boolean lossy, Refusal refusal) {}

    /** Label and value. */
    public record Fact(String label, String value) {}

    /** The item page. */
    public record ItemPage(ItemRow row, List<Fact> facts, Refusal lastError, Refusal refusal, List<Action> actions,
            List<PointRow> points, Refusal pointsRefusal, List<Option> pointOptions, Preview preview,
            List<Option> processServers, List<Option> masterTargets, List<Option> datastores, String retention,
            List<JobRow> jobs) {}

    /** One job in a list. */
    public record JobRow(String id, String href, String kind, String target, String targetHref, String description,
            String state, boolean terminal, int percent, String step, String created, String updated, Refusal error) {}

    /** One step of a job. */
    public record StepRow(int index, String name, String state, String detail, String updated) {}

    /** One log line of a job. */
    public record LogRow(String at, String message) {}

    /** The jobs page. */
    public record JobsPage(List<JobRow> rows, List<Option> states, int page, int pages, int total, String prevHref, String nextHref) {}

    /** The live part of a job page (replaced in place while the job runs). */
    public record JobLive(JobRow job, String bytes, List<StepRow> steps, List<LogRow> log, List<JobRow> children,
            boolean canCancel, boolean canResume, boolean canRestart, boolean cancelRequested) {}

    /** The job page. */
    public record JobPage(JobRow job, String parentHref, JobLive live) {}

    /** A plan in the list. */
    public record PlanRow(String id, String href, String name, int groups, int items) {}

    /** One group of a plan. */
    public record PlanGroupView(String name, List<Cell> items, List<String> pre, List<String> post) {}

    /** The plan page. */
    public record PlanPage(String id, String href, String name, List<PlanGroupView> groups, List<Option> operations, List<JobRow> jobs) {}

    /** One alert. */
    public record Alert(String severity, String subject, String href, String message, String hint) {}
}
