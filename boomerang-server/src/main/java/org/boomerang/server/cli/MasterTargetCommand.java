package org.boomerang.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.dataplane.mastertarget.MasterTarget;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code boomerang master-target --config FILE}: the master target role. */
@Command(name = "master-target", mixinStandardHelpOptions = true,
        description = {"Run the master target: receive change streams and write each disk's replica journal, acknowledging only durable records.",
            "Runs until interrupted (Ctrl-C or SIGTERM). The config's keys are in docs/configuration.md."})
public final class MasterTargetCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The master target's config file (YAML or JSON).")
    Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MasterTargetConfig c = MasterTargetConfig.read(config);
        MasterTarget mt = MasterTarget.start(c);
        var out = spec.commandLine().getOut();
        out.printf("master target listening on %s:%d, journals under %s%n", c.listen().host(), mt.port(), c.data().resolve("journals"));
        return RoleRunner.runUntilStopped(mt, "master target", out);
    }
}
