package org.boomerang.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.cli.OutputFormat;
import org.boomerang.common.ByteSize;
import org.boomerang.server.demo.Drill;
import org.boomerang.server.demo.DrillReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang drill [--data DIR] [--size SIZE] [--verify full|sampled] [--chaos] [--report FILE] [--output json]}: the whole cycle on a
 * fresh sample estate, verified, with a report ({@link Drill}). Exit 0 when every step and every check
 * passed, 1 otherwise.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run the whole cycle (protect, fail over, commit, reprotect, fail back, commit, reprotect) on a fresh lab estate and verify every disk.",
        footer = {"%nThe control server, both lab sites and every data-plane role run in this process, on loopback.",
                "The data folder is emptied first. Exit 0 when every check passed, 1 otherwise."})
public final class DrillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the estate, the journals and the database go (emptied first; default: ./boomerang-drill).")
    Path data = Path.of("boomerang-drill");

    @Option(names = "--size", paramLabel = "SIZE", description = "Each sample disk's size, e.g. 64M or 1G (default: 64M).")
    String size = "64M";

    @Option(names = "--verify", paramLabel = "HOW",
            description = {"full (default): compare every disk end to end (SHA-256) and copy each filesystem whole for e2fsck.",
                    "sampled: for big disks; compare every range ever written (the seeded filesystem, the workload's writes) and 256 evenly"
                            + " spaced 1 MiB probes, and copy only the filesystem's seeded data for e2fsck."})
    String verify = "full";

    @Option(names = "--chaos", description = {"Run each site's master target and process server as child processes and kill (SIGKILL)"
            + " the process server in the middle of replication and the master target in the middle of reprotect; the data plane starts"
            + " them again and every check must still pass. The report lists the kills."})
    boolean chaos;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report here: JSON with --output json, Markdown otherwise.")
    Path reportFile;

    @Option(names = "--output", paramLabel = "FORMAT", converter = OutputFormat.Converter.class,
            description = "text (default: progress and the Markdown report) or json (the JSON report on standard output; progress on standard error).")
    OutputFormat output = OutputFormat.TEXT;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean json = output == OutputFormat.JSON;
        PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        Drill.Verify how = switch (verify) {
            case "full" -> Drill.Verify.FULL;
            case "sampled" -> Drill.Verify.SAMPLED;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--verify takes full or sampled, not '" + verify + "'");
        };
        DrillReport report = new Drill(data, ByteSize.parse(size), progress, how, chaos).run();
        String text = json ? report.toJson() : report.toMarkdown();
        if (reportFile != null) {
            Path parent = reportFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(reportFile, text, StandardCharsets.UTF_8);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
