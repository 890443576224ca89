package org.boomerang.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.dataplane.agent.Agent;
import org.boomerang.dataplane.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code boomerang agent --config FILE}: the agent role. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the agent: serve the protected disks over NBD with inline capture and stream every write to the process server.",
            "Runs until interrupted (Ctrl-C or SIGTERM). The config's keys are in docs/configuration.md."})
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The agent's config file (YAML or JSON).")
    Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentConfig c = AgentConfig.read(config);
        Agent agent = Agent.start(c);
        var out = spec.commandLine().getOut();
        for (AgentConfig.Disk d : c.disks()) {
            out.printf("serving %s on nbd://%s:%d/%s%n", d.id(), c.nbd().host(), agent.nbdPort(), d.id());
        }
        out.printf("streaming to the process server at %s%n", c.processServer());
        return RoleRunner.runUntilStopped(agent, "agent", out);
    }
}
