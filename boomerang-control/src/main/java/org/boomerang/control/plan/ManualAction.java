package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

/** Pauses the plan's job until an operator resumes it ({@code boomerang jobs resume ID}). */
public record ManualAction(String instruction) implements PlanAction {
    public ManualAction {
        requireNonNull(instruction, "instruction is null");
        if (instruction.isBlank()) {
            throw new IllegalArgumentException("a manual action needs an instruction for the operator");
        }
    }

    @Override
    public String describe() {
        return "manual: " + instruction;
    }
}
