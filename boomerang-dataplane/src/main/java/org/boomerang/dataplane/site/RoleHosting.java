package org.boomerang.dataplane.site;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where the data plane runs each site's master target and process server. The agents always run in
 * the data plane's own process (they serve the disks it holds).
 */
public sealed interface RoleHosting permits RoleHosting.InProcess, RoleHosting.ChildProcesses {
    /** Every role in this process. */
    record InProcess() implements RoleHosting {}

    /**
     * Each site's master target and process server in a child process of its own, started with
     * {@code command} followed by {@code master-target --config FILE} or {@code process-server --config FILE}
     * (the {@code boomerang} command line: e.g. this JVM's {@code java}, {@code -cp} and main class). A
     * child that dies is started again on the same port ({@link RoleProcess}).
     */
    record ChildProcesses(List<String> command) implements RoleHosting {
        public ChildProcesses {
            command = List.copyOf(requireNonNull(command, "command is null"));
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command is empty");
            }
        }
    }
}
