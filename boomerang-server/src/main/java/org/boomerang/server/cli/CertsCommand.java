package org.boomerang.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.boomerang.stream.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code boomerang certs …}: the certificates of the data-plane roles' mutual TLS. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "Certificates for the mutual TLS between agent, process server and master target.",
        subcommands = {CertsCommand.Init.class})
public final class CertsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code boomerang certs init DIR [--host NAME]…}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Make a CA and one certificate per role (agent, process-server, master-target) in DIR.",
                "Names in each certificate: localhost, 127.0.0.1, ::1, this host's name and every --host.",
                "A DIR that already holds a complete set is kept as it is. Private keys are written with mode 0600."})
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The directory to write ca.crt, ca.key, ROLE.crt and ROLE.key into (created when absent).")
        Path dir;

        @Option(names = "--host", paramLabel = "NAME", description = "Another host name or address the roles are reached at. Repeat for more.")
        List<String> hosts = new ArrayList<>();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority.InitReport report = CertificateAuthority.initDirectory(dir, new LinkedHashSet<>(hosts));
            var out = spec.commandLine().getOut();
            if (report.created()) {
                out.printf("made a CA and certificates for %s in %s%n", String.join(", ", CertificateAuthority.ROLES), dir);
            } else {
                out.printf("%s already holds a CA and the roles' certificates; kept them%n", dir);
            }
            for (Path f : report.files()) {
                out.println("  " + f);
            }
            out.flush();
            return 0;
        }
    }
}
