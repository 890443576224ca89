package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.ValidatingProxy;
import org.boomerang.api.control.TestingControlApi;
import org.boomerang.api.dto.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API route is reachable from the command line: a script of CLI commands is run against a
 * real server, and the server's own request metrics must show every route template hit. The CLI
 * talks through a {@link ValidatingProxy}, so every response it got conforms to /openapi.json.
 */
class CliReachesEveryRouteTest {
    /** Routes for machines and browsers, not for the operator's CLI. */
    private static final Set<String> NOT_CLI = Set.of("GET /health", "GET /openapi.json", "GET /metrics");

    @TempDir
    Path dir;

    @Test
    void everyRouteIsCalledBySomeCliCommand() throws Exception {
        try (TestingControlApi server = new TestingControlApi(dir);
                ValidatingProxy proxy = new ValidatingProxy(server.api.base(), server.api.validator())) {
            TestingCli cli = new TestingCli(List.of("--server", proxy.base(), "--token", server.api.tokenOf.get(Role.ADMIN)));
            run(cli, "inventory", "identity");
            run(cli, "inventory", "sites");
            run(cli, "inventory", "add-site", "branch", "--role", "recovery", "--provider", "lab");
            run(cli, "inventory", "show", "primary");
            run(cli, "inventory", "discover", "primary");
            run(cli, "inventory", "power-on", "primary", "db1");
            run(cli, "inventory", "add-manager", "primary", "vc2", "--type", "vmware", "--address", "vc2.lab");
            run(cli, "inventory", "disconnect", "primary", "vc2");
            run(cli, "inventory", "connect", "primary", "vc2");
            run(cli, "inventory", "add-host", "primary", "esx7", "--type", "vmware", "--manager", "vc2", "--undiscovered");
            run(cli, "inventory", "add-datastore", "primary", "vsan7", "--type", "vsan", "--reachable-from", "esx7");
            run(cli, "inventory", "add-machine", "primary", "phys7", "--kind", "physical", "--os-family", "windows",
                    "--os-version", "Windows Server 2008 R2 SP1", "--datastore", "vsan7", "--disk", "64M");
            run(cli, "inventory", "set-agent", "primary", "phys7", "--delay", "600");
            run(cli, "inventory", "snapshot", "primary", "phys7", "s1");
            run(cli, "inventory", "snapshot", "primary", "phys7", "s1", "--delete");
            run(cli, "inventory", "move-machine", "primary", "phys7", "--resource-group", "rg-x");
            run(cli, "inventory", "power-off", "primary", "phys7");
            run(cli, "inventory", "delete-machine", "primary", "phys7");
            run(cli, "inventory", "process-servers");
            run(cli, "inventory", "add-process-server", "ps-3", "--site", "recovery", "--address", "10.0.0.3:9000");
            run(cli, "inventory", "master-targets");
            run(cli, "inventory", "add-master-target", "mt2", "--site", "primary", "--host", "esx2");
            run(cli, "inventory", "agent-heartbeat", "primary", "web1");
            run(cli, "inventory", "agent", "primary", "web1");
            run(cli, "inventory", "agents");
            run(cli, "inventory", "manager-sightings", "primary");
            run(cli, "policies", "list");
            run(cli, "policies", "show", "default");
            run(cli, "policies", "put", "gold", "--name", "gold", "--rpo", "300", "--retention", "86400", "--crash-every", "60", "--app-every", "3600");
            run(cli, "policies", "put-group", "g1", "--name", "tier 1");
            run(cli, "policies", "group", "g1");
            assertThat(run(cli, "policies", "groups").out()).contains("tier 1");
            run(cli, "tokens", "whoami");
            run(cli, "tokens", "list");
            String created = run(cli, "tokens", "create", "--role", "reader", "--label", "grafana").lastLine();
            run(cli, "tokens", "revoke", created.substring(4, 14));

            run(cli, "items", "enable", "--machine", "web1", "--policy", "default", "--id", "web", "--recovery-site", "recovery", "--wait");
            run(cli, "items", "list");
            run(cli, "items", "show", "web");
            String point = server.forwardPoint("web").id().value();
            run(cli, "points", "list", "web");
            run(cli, "items", "preview-point", "web", "--point", "latest");
            run(cli, "items", "test-failover", "web", "--wait");
            run(cli, "items", "cleanup", "web", "--wait");
            run(cli, "items", "failover", "web", "--type", "unplanned", "--wait");
            run(cli, "items", "change-point", "web", "--point", point, "--wait");
            run(cli, "items", "cancel", "web", "--wait");
            run(cli, "items", "disable", "web", "--wait");
            String reenable = run(cli, "items", "enable", "web").out();
            String jobId = reenable.replaceAll("(?s)^job (\\S+) .*", "$1");
            run(cli, "jobs", "watch", jobId);
            run(cli, "jobs", "list");
            run(cli, "jobs", "show", jobId);
            cli.client("jobs", "cancel", jobId);
            cli.client("jobs", "resume", jobId);
            cli.client("jobs", "restart", jobId);
            run(cli, "alerts");

            Path planFile = dir.resolve("plan.json");
            Files.writeString(planFile, "{\"name\":\"tier 1\",\"groups\":[{\"name\":\"web\",\"items\":[\"web\"]}]}");
            run(cli, "plans", "put", "tier1", "--file", planFile.toString());
            run(cli, "plans", "list");
            run(cli, "plans", "show", "tier1");
            server.forwardPoint("web");
            run(cli, "plans", "test-failover", "tier1", "--wait");
            run(cli, "plans", "cleanup", "tier1", "--wait");
            run(cli, "plans", "failover", "tier1", "--wait");
            run(cli, "plans", "commit", "tier1", "--wait");
            server.registerRecoveryAgent("web");
            run(cli, "plans", "reprotect", "tier1", "--wait");
            server.reversePoint("web");
            run(cli, "plans", "failback", "tier1", "--wait");
            run(cli, "plans", "delete", "tier1");

            run(cli, "items", "enable", "--machine", "db1", "--policy", "default", "--id", "db", "--recovery-site", "recovery", "--wait");
            server.forwardPoint("db");
            run(cli, "items", "failover", "db", "--wait");
            run(cli, "items", "commit", "db", "--wait");
            server.registerRecoveryAgent("db");
            run(cli, "items", "reprotect", "db", "--retention", "12h", "--wait");
            assertThat(run(cli, "items", "show", "db").out()).contains("12h (chosen at reprotect)");
            run(cli, "items", "failover", "db", "--type", "planned", "--point", "latest", "--wait");
            run(cli, "items", "commit", "db", "--wait");
            assertThat(cli.client("items", "complete-migration", "db").exit()).isEqualTo(5);

            Set<String> hit = new TreeSet<>();
            for (Timer t : server.api.server.registry().find("boomerang.api.requests").timers()) {
                hit.add(t.getId().getTag("method") + " " + t.getId().getTag("route"));
            }
            Set<String> expected = new TreeSet<>();
            for (ApiRoute r : server.api.server.routes()) {
                String key = r.method() + " " + r.path();
                if (!NOT_CLI.contains(key)) {
                    expected.add(key);
                }
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(hit);
            assertThat(missing).as("routes no CLI command reached").isEmpty();
            assertThat(proxy.failures()).as("responses the CLI got that do not conform to /openapi.json").isEmpty();
            Set<String> checked = new TreeSet<>();
            for (String op : server.api.validator().checked()) {
                checked.add(op.substring(0, op.lastIndexOf(' ')));
            }
            Set<String> unchecked = new TreeSet<>(expected);
            unchecked.removeAll(checked);
            unchecked.remove("GET /api/v1/jobs/{id}/events"); // an event stream: passed through, not checked
            assertThat(unchecked).as("routes whose responses were not checked against /openapi.json").isEmpty();
        }
    }

    private static TestingCli.Run run(TestingCli cli, String... args) {
        TestingCli.Run r = cli.client(args);
        assertThat(r.exit()).as("boomerang %s\n%s%s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }
}
