package org.boomerang.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.dataplane.processserver.ProcessServer;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code boomerang process-server --config FILE}: the process server role. */
@Command(name = "process-server", mixinStandardHelpOptions = true,
        description = {"Run the process server: receive the agents' streams, compress them, cache them on disk and forward them to the master targets.",
            "Runs until interrupted (Ctrl-C or SIGTERM). The config's keys are in docs/configuration.md."})
public final class ProcessServerCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The process server's config file (YAML or JSON).")
    Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ProcessServerConfig c = ProcessServerConfig.read(config);
        ProcessServer ps = ProcessServer.start(c);
        var out = spec.commandLine().getOut();
        out.printf("process server listening on %s:%d%n", c.listen().host(), ps.port());
        return RoleRunner.runUntilStopped(ps, "process server", out);
    }
}
