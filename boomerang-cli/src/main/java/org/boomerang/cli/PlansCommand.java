package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.boomerang.api.dto.FailoverRequest;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PlanView;
import org.boomerang.api.dto.TestFailoverRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang plans …}: recovery plans and their operations. A plan is written as the API's
 * JSON ({@code {"name": …, "groups": [{"name": …, "items": […], "pre": […], "post": […]}]}}).
 */
@Command(name = "plans", mixinStandardHelpOptions = true,
        description = "Recovery plans: ordered groups of items failed over together, with script and manual steps.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class PlansCommand {
    private static final String WAIT = "Wait for the plan's job to end, showing progress; exit non-zero when it fails.";
    private static final String POINT = "Recovery point: latest, latest-processed (default), latest-app-consistent, a point id, or lsn:N.";

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List recovery plans.")
    void list(@Mixin ClientOptions options) {
        ApiClient client = options.client();
        List<PlanView> plans = client.get("api/v1/plans", new TypeReference<List<PlanView>>() {});
        new Printer(options.output(), out(), client.json()).list(plans, table());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a plan with its groups and steps.")
    void show(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id) {
        ApiClient client = options.client();
        PlanView plan = client.get(plan(id), PlanView.class);
        Printer printer = new Printer(options.output(), out(), client.json());
        if (printer.isJson()) {
            printer.printJson(plan);
            return;
        }
        out().println("plan " + plan.id() + ": " + plan.name());
        for (int i = 0; i < plan.groups().size(); i++) {
            PlanView.Group g = plan.groups().get(i);
            out().println("  group " + (i + 1) + " " + g.name() + ": " + String.join(", ", g.items()));
            actions("pre ", g.pre());
            actions("post", g.post());
        }
        out().flush();
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Create or replace a plan from a JSON file (admin).")
    void put(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id,
             @Option(names = "--file", required = true, paramLabel = "FILE", description = "The plan as JSON: {\"name\":…,\"groups\":[…]}.") Path file) {
        ApiClient client = options.client();
        // The file goes to the server as it is: the server checks it field by field, with the API's
        // rules (e.g. enum values in any case) and error codes, instead of a second reading here.
        com.fasterxml.jackson.databind.JsonNode request;
        try {
            request = client.json().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the plan file " + file + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the plan file " + file + ": " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("the plan file " + file + " must hold one JSON object: {\"name\":…,\"groups\":[…]}");
        }
        new Printer(options.output(), out(), client.json()).list(List.of(client.put(plan(id), request, PlanView.class)), table());
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a plan (its items stay protected; admin).")
    void delete(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id) {
        options.client().delete(plan(id), Void.class);
        out().println("deleted plan " + id);
        out().flush();
    }

    @Command(name = "test-failover", mixinStandardHelpOptions = true, description = "Test failover of every item of the plan.")
    void testFailover(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id,
                      @Option(names = "--point", paramLabel = "POINT", description = POINT) String point,
                      @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/test-failover", new TestFailoverRequest(point), JobView.class));
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, description = "Clean up the plan's test failover.")
    void cleanup(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/cleanup", null, JobView.class));
    }

    @Command(name = "failover", mixinStandardHelpOptions = true, description = "Planned or unplanned failover of the plan, group by group.")
    void failover(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id,
                  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "PLANNED",
                          description = "PLANNED (shut down and drain the source first) or UNPLANNED (the source is gone); any case. Default: ${DEFAULT-VALUE}.") FailoverRequest.FailoverType type,
                  @Option(names = "--point", paramLabel = "POINT", description = POINT) String point,
                  @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/failover", new FailoverRequest(type, point), JobView.class));
    }

    @Command(name = "commit", mixinStandardHelpOptions = true, description = "Commit the plan's failover.")
    void commit(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/commit", null, JobView.class));
    }

    @Command(name = "reprotect", mixinStandardHelpOptions = true, description = "Reprotect every item of the plan.")
    void reprotect(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id, @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/reprotect", null, JobView.class));
    }

    @Command(name = "failback", mixinStandardHelpOptions = true, description = "Fail the plan back (every machine needs a recovery point, FB-16).")
    void failback(@Mixin ClientOptions options, @Parameters(paramLabel = "PLAN") String id,
                  @Option(names = "--point", paramLabel = "POINT", description = POINT) String point,
                  @Option(names = "--wait", description = WAIT) boolean wait) {
        launch(options, wait, c -> c.post(plan(id) + "/failback", new TestFailoverRequest(point), JobView.class));
    }

    private void actions(String when, List<PlanView.Action> actions) {
        if (actions == null) {
            return;
        }
        for (PlanView.Action a : actions) {
            String what = switch (a.type()) {
                case SCRIPT -> "script " + String.join(" ", a.command()) + " (timeout " + a.timeoutSeconds() + " s)";
                case MANUAL -> "manual: " + a.instruction();
            };
            out().println("    " + when + " " + what);
        }
    }

    private static Table<PlanView> table() {
        return new Table<PlanView>()
                .column("ID", PlanView::id)
                .column("NAME", PlanView::name)
                .column("GROUPS", p -> p.groups().size())
                .column("ITEMS", p -> String.join(",", p.groups().stream().flatMap(g -> g.items().stream()).toList()));
    }

    private void launch(ClientOptions options, boolean wait, Function<ApiClient, JobView> start) {
        JobLauncher.run(options, wait, out(), start);
    }

    static String plan(String id) {
        return "api/v1/plans/" + UrlPaths.encode(id);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
