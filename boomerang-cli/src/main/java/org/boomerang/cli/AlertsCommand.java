package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.AlertView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang alerts}: the items whose measured RPO passes their policy's threshold, one of whose
 * roles cannot be reached, or whose replication failed ({@code GET /api/v1/alerts}), with the reasons.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "List items whose RPO passes the policy's threshold, whose agent, process server or master target is unreachable, "
                + "or whose replication failed.")
public final class AlertsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Override
    public void run() {
        ApiClient client = options.client();
        List<AlertView> alerts = client.get("api/v1/alerts", new TypeReference<List<AlertView>>() {});
        new Printer(options.output(), spec.commandLine().getOut(), client.json()).list(alerts, Views.alerts());
    }
}
