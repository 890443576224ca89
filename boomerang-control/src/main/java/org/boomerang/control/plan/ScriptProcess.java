package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a plan script runs: the host and boot of the machine, its process group id and when the
 * group's leader started. Recorded in the job step (its detail) while the step is STARTED, so a
 * server that resumes the step after a crash can find a script that may still run.
 *
 * <p>Format (one line, the owner of this text is this record):
 * <pre>
 * script-process host=HOST boot=BOOT_ID pgid=N start=EPOCH_MILLIS
 * </pre>
 * {@code HOST} is the host name (no spaces), {@code BOOT_ID} the kernel's
 * {@code /proc/sys/kernel/random/boot_id} (a new one after each reboot), {@code N} the process group
 * id (the script's pid: it runs as the leader of its own session and group), {@code EPOCH_MILLIS}
 * the leader's start time (0 when unknown). A pid number is never reused while a process group of
 * that id still exists, and a reused number has another start time.
 */
record ScriptProcess(String host, String boot, long pgid, long startMillis) {
    static final String PREFIX = "script-process ";

    ScriptProcess {
        requireNonNull(host, "host is null");
        requireNonNull(boot, "boot is null");
        if (host.isBlank() || host.contains(" ") || boot.isBlank() || boot.contains(" ") || pgid <= 1) {
            throw new IllegalArgumentException("bad script process: host=" + host + " boot=" + boot + " pgid=" + pgid);
        }
    }

    String encode() {
        return PREFIX + "host=" + host + " boot=" + boot + " pgid=" + pgid + " start=" + startMillis;
    }

    /** The process recorded in a step's detail; empty for any other detail. */
    static Optional<ScriptProcess> parse(String detail) {
        if (detail == null || !detail.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : detail.substring(PREFIX.length()).trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        try {
            return Optional.of(new ScriptProcess(fields.getOrDefault("host", ""), fields.getOrDefault("boot", ""),
                    Long.parseLong(fields.getOrDefault("pgid", "0")), Long.parseLong(fields.getOrDefault("start", "0"))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** When the leader started, when known. */
    Optional<Instant> start() {
        return startMillis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(startMillis));
    }
}
