package org.boomerang.control.job;

/** Thrown by {@link StepContext#waitForOperator}: unwinds the step so the runner can park the job. */
final class OperatorPause extends RuntimeException {
    private final String instruction;

    OperatorPause(String instruction) {
        super(instruction, null, false, false);
        this.instruction = instruction;
    }

    String instruction() {
        return instruction;
    }
}
