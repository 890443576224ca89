package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Runs a command (no shell unless the command names one) and fails the plan step when it exits
 * non-zero or outlives {@code timeout}. The command sees {@code BOOMERANG_REQUEST_ID},
 * {@code BOOMERANG_PLAN}, {@code BOOMERANG_GROUP} and {@code BOOMERANG_OPERATION} so it can be
 * idempotent across a replay.
 */
public record ScriptAction(List<String> command, Duration timeout) implements PlanAction {
    public ScriptAction {
        command = List.copyOf(command);
        requireNonNull(timeout, "timeout is null");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a script action needs a command");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("script timeout must be positive: " + timeout);
        }
    }

    @Override
    public String describe() {
        return "script " + String.join(" ", command) + " (timeout " + timeout.toSeconds() + " s)";
    }
}
