package org.boomerang.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.server.NbdServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code boomerang nbd …}: the NBD commands. */
@Command(name = "nbd", mixinStandardHelpOptions = true, description = "Serve disks over the Network Block Device protocol.",
        subcommands = {NbdCommand.Serve.class})
public final class NbdCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One {@code --export NAME=FILE[:ro]} argument. */
    record ExportSpec(String name, Path file, boolean readOnly) {
        static ExportSpec parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new NbdProtocolException(NbdError.BAD_EXPORT_SPEC, "'" + text + "' is not NAME=FILE[:ro]",
                        "write it as e.g. --export disk=disk.img or --export disk=disk.img:ro");
            }
            String name = text.substring(0, eq);
            String file = text.substring(eq + 1);
            boolean ro = file.endsWith(":ro");
            if (ro) {
                file = file.substring(0, file.length() - ":ro".length());
            }
            return new ExportSpec(name, Path.of(file), ro);
        }
    }

    /** {@code boomerang nbd serve --export NAME=FILE[:ro] … [--bind ADDR] [--port 10809]}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve image files (or block devices) over NBD until interrupted (Ctrl-C or SIGTERM).",
                "On stop, requests in flight finish and the files are flushed.",
                "Clients: qemu-img/qemu-io/nbdinfo/nbdcopy with nbd://ADDR:PORT/NAME, fio's nbd engine."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--export", required = true, paramLabel = "NAME=FILE[:ro]",
                description = "An export: its name, the image file, and :ro to serve it read-only. Repeat for more.")
        List<String> exports = new ArrayList<>();

        @Mixin
        NbdListenOptions listen;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            List<ExportSpec> specs = exports.stream().map(ExportSpec::parse).toList();
            Serving serving = Serving.start(specs, listen.serverBuilder());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                serving.close();
                stopped.countDown();
            }, "nbd-serve-shutdown"));
            String host = serving.server().address().getAddress().getHostAddress();
            for (ExportSpec export : specs) {
                spec.commandLine().getOut().printf("serving %s on nbd://%s:%d/%s%n", export.name(), host,
                        serving.server().port(), export.name());
            }
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        }
    }

    /**
     * A started server and the image files it serves. {@link #close()} stops the server (requests in flight
     * finish, exports flushed) and then closes the files; errors are reported on stderr, not thrown, since it
     * runs in a shutdown hook.
     */
    record Serving(NbdServer server, List<RawFileBlockDevice> devices) implements AutoCloseable {
        /** Opens the images and starts a server made by {@code builder} (where and how it listens) that serves them. */
        static Serving start(List<ExportSpec> specs, NbdServer.Builder builder) throws IOException {
            List<RawFileBlockDevice> devices = new ArrayList<>();
            try {
                for (ExportSpec export : specs) {
                    RawFileBlockDevice device = RawFileBlockDevice.open(export.file(), export.readOnly());
                    devices.add(device);
                    builder.export(export.name(), device, export.file().getFileName() + (export.readOnly() ? " (read-only)" : ""));
                }
                return new Serving(builder.build().start(), devices);
            } catch (IOException | RuntimeException e) {
                closeAll(devices);
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("error: flushing the exports at shutdown failed: " + e.getMessage());
            }
            closeAll(devices);
        }

        private static void closeAll(List<RawFileBlockDevice> devices) {
            for (RawFileBlockDevice d : devices) {
                try {
                    d.close();
                } catch (IOException e) {
                    System.err.println("error: closing " + d.path() + " failed: " + e.getMessage());
                }
            }
        }
    }
}
