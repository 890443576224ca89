package org.boomerang.dataplane.site;

/** A data-plane role that {@link RoleHosting.ChildProcesses} runs in a child process; its name is its command. */
public enum ChildRole {
    MASTER_TARGET("master-target"),
    PROCESS_SERVER("process-server");

    private final String command;

    ChildRole(String command) {
        this.command = command;
    }

    /** The {@code boomerang} command that runs the role, also the name of its config and log files. */
    public String command() {
        return command;
    }
}
