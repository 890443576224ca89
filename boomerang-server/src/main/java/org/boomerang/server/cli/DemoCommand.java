package org.boomerang.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.boomerang.common.ByteSize;
import org.boomerang.provider.lab.SampleEstate;
import org.boomerang.server.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang demo [--data DIR] [--port 8080] [--reset] [--size SIZE] [--rate N]}: the control
 * server with two lab sites over a sample estate, protection of its machines and a guest workload
 * on each, until interrupted ({@link Demo}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the demo: the control server, two lab sites and a sample estate, protected, until Ctrl-C.",
        footerHeading = "%nWhat it does:%n",
        footer = {
            "On the first run it creates DIR (default ./boomerang-demo) and the sample estate in DIR/estate: a vCenter with two ESXi hosts,",
            "VMFS, vSAN and RDM datastores, the Linux VMs lin1 and lin2, the Windows VM win1 and the physical Linux server phys1, each with",
            "one sparse disk of --size (the Linux disks hold ext4 over their first half; without e2fsprogs the disks are plain). It starts",
            "the control server on SQLite in DIR with the lab sites 'primary' and 'recovery', writes an admin token to DIR/admin.token,",
            "enables protection of every sample machine (policy 'demo': a crash point per second, an app-consistent point per minute),",
            "runs a light guest workload on each powered-on disk through its NBD export, and prints the portal and API addresses, the",
            "token and commands to try. Every data-plane role (agent, process server, master target of each site) runs in the same",
            "process, on loopback, over its real protocols with mutual TLS.",
            "A second run on the same DIR reuses the estate and the database; --reset starts over (only in a folder the demo made).",
            "",
            "Then, in another terminal:",
            "  export BOOMERANG_SERVER=http://127.0.0.1:8080 BOOMERANG_TOKEN=$(cat boomerang-demo/admin.token)",
            "  bin/boomerang items list",
            "  bin/boomerang inventory show primary --output json     (each powered-on disk's nbdUri)",
            "  bin/boomerang items failover lin1 --type unplanned --point latest-processed --wait"
        })
public final class DemoCommand implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The demo's folder: estate, database, admin token (default: ./boomerang-demo).")
    Path data = Demo.DEFAULT_DATA;

    @Option(names = "--port", paramLabel = "PORT", description = "The API and portal port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port = Demo.DEFAULT_PORT;

    @Option(names = "--reset", description = "Start over: empty DIR (a folder the demo made) and create a new estate and database.")
    boolean reset;

    @Option(names = "--size", paramLabel = "SIZE", description = "Each sample disk's size, sparse, on the first run (default: 1G; e.g. 64M).")
    String size = "1G";

    @Option(names = "--rate", paramLabel = "N", description = "Writes per second of each disk's guest workload (default: ${DEFAULT-VALUE}).")
    double rate = 10;

    @Override
    public void run() {
        long diskSize;
        try {
            diskSize = ByteSize.parse(size);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--size: " + e.getMessage());
        }
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port: " + port + " is out of range 0..65535");
        }
        if (diskSize < SampleEstate.MIN_DISK_SIZE) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--size: at least " + ByteSize.format(SampleEstate.MIN_DISK_SIZE));
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Demo demo = Demo.start(new Demo.Options(data, port, reset, diskSize, rate), out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C (SIGINT) or SIGTERM: the workloads stop after their write in flight, then the server
            LOG.info("stopping the demo: guest workloads, then the control server");
            demo.close();
            LOG.info("stopped");
            stopped.countDown();
        }, "boomerang-demo-shutdown"));
        out.println(demo.stopHint());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            demo.close();
        }
    }
}
